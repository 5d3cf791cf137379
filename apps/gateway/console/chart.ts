/// <reference lib="dom" />
import { h } from './dom';

const WIDTH = 420;
const HEIGHT = 140;
const POINTS = 60;
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#a16207'];
const SVG = 'http://www.w3.org/2000/svg';

/** A line chart of the last POINTS values per series, drawn in SVG: no chart library to ship. */
export class LineChart {
  readonly element: HTMLElement;
  private readonly series = new Map<string, number[]>();
  private readonly svg: SVGSVGElement;
  private readonly legend: HTMLElement;

  constructor(title: string) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    this.svg.setAttribute('class', 'chart');
    this.legend = h('div', { class: 'legend' });
    this.element = h('figure', {}, h('figcaption', {}, title), this.svg, this.legend);
  }

  push(values: Record<string, number>): void {
    for (const name of new Set([...this.series.keys(), ...Object.keys(values)])) {
      const points = this.series.get(name) ?? [];
      points.push(values[name] ?? 0);
      if (points.length > POINTS) points.shift();
      this.series.set(name, points);
    }
    this.draw();
  }

  private draw(): void {
    const max = Math.max(1, ...[...this.series.values()].flat());
    this.svg.replaceChildren();
    const axis = document.createElementNS(SVG, 'text');
    axis.setAttribute('x', '2');
    axis.setAttribute('y', '10');
    axis.setAttribute('class', 'axis');
    axis.textContent = String(Math.round(max * 10) / 10);
    this.svg.append(axis);
    this.legend.replaceChildren();
    [...this.series].forEach(([name, points], index) => {
      const color = COLORS[index % COLORS.length];
      const line = document.createElementNS(SVG, 'polyline');
      const offset = POINTS - points.length;
      line.setAttribute('points', points.map((value, i) => `${((offset + i) / (POINTS - 1)) * WIDTH},${HEIGHT - (value / max) * (HEIGHT - 14)}`).join(' '));
      line.setAttribute('stroke', color);
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke-width', '2');
      this.svg.append(line);
      const last = points[points.length - 1] ?? 0;
      this.legend.append(h('span', { style: `color:${color}` }, `■ ${name} ${Math.round(last * 10) / 10}`));
    });
  }
}
