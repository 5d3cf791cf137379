/** The console's one page: everything on it is drawn by the bundled script (no CDN, no framework). */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ordernum console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/app.css">
</head>
<body>
<div id="app">Loading…</div>
<script src="/console/assets/app.js"></script>
</body>
</html>
`;
