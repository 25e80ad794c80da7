// A minimal ACS for the benchmark, run in its own process (plain JS, no dependencies): answers an
// Inform with an InformResponse carrying the same cwmp:ID, anything else (the empty POST) with 204.
// Prints "listening <port>" when ready.
'use strict';
const http = require('node:http');
const RESPONSE = (id) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">' +
  `<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">${id}</cwmp:ID></soap-env:Header>` +
  '<soap-env:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse></soap-env:Body></soap-env:Envelope>';
let informs = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    if (body.includes(':Inform>')) {
      informs++;
      const id = /<cwmp:ID[^>]*>([^<]*)</.exec(body);
      const xml = RESPONSE(id ? id[1] : '1');
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) });
      res.end(xml);
    } else {
      res.writeHead(204);
      res.end();
    }
  });
});
server.keepAliveTimeout = 60000;
server.maxConnections = 20000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => {
  console.error(`informs ${informs}`);
  process.exit(0);
});
