/// <reference lib="dom" />
import './app.css';
import { byId } from './dom';
import { LiveView } from './live';
import { mountTokenField } from './token';
import { mountTools } from './tools';
import { TreeBrowser } from './tree';

const LAYOUT = `
<header><h1>ordernum console</h1><span id="live-state">connecting…</span>
  <label class="token">operator token <input id="admin-token" type="password" size="24" autocomplete="off" placeholder="ADMIN_TOKEN (writes)"></label></header>
<section id="cluster"><h2>Cluster <small id="replica-count"></small></h2>
  <p>Master: <span id="master">?</span></p>
  <table><thead><tr><th>replica</th><th>address</th><th>strategy</th><th>health (session)</th><th>in flight</th><th>served</th><th>errors</th></tr></thead><tbody id="replica-rows"></tbody></table>
  <div class="cols">
    <div><h3>ZooKeeper servers</h3><ul id="servers"></ul></div>
    <div><h3>Worker-ID leases</h3><ul id="workers"></ul></div>
    <div><h3>Pool depths (redis-pregen)</h3><ul id="pools"></ul></div>
    <div><h3>Config in force</h3><div id="config-in-force"></div><h3>Refused config</h3><div id="config-refused"></div></div>
  </div>
</section>
<section><h2>Traffic through this gateway</h2><p id="duplicates"></p><div id="charts" class="charts"></div></section>
<section id="tree-browser"><h2>ZooKeeper tree</h2>
  <div class="cols">
    <ul id="tree" class="tree"></ul>
    <div><h3 id="node-path">select a node</h3><small id="node-updated"></small><pre id="node-data"></pre><table id="node-stat"></table>
      <h4>set / delete (version-checked)</h4>
      <textarea id="set-data" rows="3"></textarea> version <input id="set-version" size="4"> <button id="set-button">set</button> <button id="delete-button">delete</button>
      <h4>create</h4><input id="create-path" size="40"> <textarea id="create-data" rows="1"></textarea> <button id="create-button">create</button>
      <p id="write-result"></p>
    </div>
  </div>
</section>
<section><h2>Decode an order number</h2>
  <form id="decode-form"><input id="decode-input" size="30" maxlength="40" placeholder="2026112518070167610010742"> <button>decode</button></form><div id="decode-result"></div>
</section>
<section><h2>Four-letter words (every server)</h2><select id="word"></select> <button id="word-button">ask</button><div id="word-result" class="cols"></div></section>
<section><h2>Config center</h2><p id="config-state"></p><textarea id="config-editor" rows="8" cols="70"></textarea><br><button id="config-button">save (compare-and-set)</button> <span id="config-result"></span></section>
<section><h2>Reports</h2><ul id="reports"></ul></section>
`;

byId('app').innerHTML = LAYOUT;
mountTokenField();
new LiveView().mount();
mountTools();
void new TreeBrowser().mount();
