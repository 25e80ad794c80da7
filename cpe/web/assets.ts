/**
 * The UI's static files, kept as constants so a built unit (dist/) carries them without a copy
 * step. The CSS draws the five tabs like the guide's screenshots and folds to one column on a
 * phone-sized screen; the script only adds comfort (confirm dialogs, password match hint) — every
 * form works without it.
 */
import { createHash } from 'node:crypto';

const CSS = `
:root{--blue:#1b4f8a;--blue2:#2d6cb5;--bg:#f4f6f9;--line:#d5dbe3;--err:#b3261e;--ok:#1e7b34;--ink:#1d232b;--muted:#5f6b7a}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:var(--blue);color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem}
header.top h1{font-size:1.1rem;margin:0;font-weight:600;flex:1 1 auto}
header.top .who{font-size:.85rem;opacity:.9}
header.top form{display:inline;margin:0}
header.top button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.6);border-radius:4px;padding:.15rem .6rem;cursor:pointer}
nav.tabs{display:flex;overflow-x:auto;background:#e3e8ef;border-bottom:2px solid var(--blue);padding:0 .5rem}
nav.tabs a,nav.tabs span{flex:0 0 auto;padding:.55rem .9rem;color:var(--blue);text-decoration:none;font-weight:600;font-size:.85rem;letter-spacing:.03em;white-space:nowrap}
nav.tabs a.on{background:var(--blue);color:#fff;border-radius:4px 4px 0 0}
nav.tabs span.off{color:#9aa5b3}
main{max-width:980px;margin:0 auto;padding:1rem}
section.card{background:#fff;border:1px solid var(--line);border-radius:6px;margin:0 0 1rem;padding:.4rem 1rem .8rem}
section.card h2{font-size:1rem;color:var(--blue);margin:.5rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
.row{display:grid;grid-template-columns:minmax(12rem,34%) 1fr;gap:.2rem 1rem;padding:.35rem 0;border-bottom:1px dotted #e6e9ee;align-items:center}
.row:last-child{border-bottom:0}
.row>*{min-width:0}
.row>label,.row>.lbl{font-weight:600;font-size:.9rem}
.row .pn{color:var(--muted);font-weight:400;font-size:.75rem;margin-left:.3rem}
input[type=text],input[type=password],input[type=number],select,textarea{font:inherit;padding:.3rem .45rem;border:1px solid #b9c2cf;border-radius:4px;background:#fff;max-width:100%}
input[type=text],input[type=password],textarea{width:22rem}
input.wide{width:100%}
input[type=number]{width:8rem}
input[type=number].octet{width:4.8rem}
textarea{width:100%}
input:disabled,select:disabled,textarea:disabled{background:#f0f2f5;color:#444}
.radios label{margin-right:1rem;font-weight:400;white-space:nowrap}
.hint{color:var(--muted);font-size:.8rem}
.dot{padding:0 .15rem}
.ro{font-family:ui-monospace,Menlo,Consolas,monospace}
.field-error{grid-column:2;color:var(--err);font-size:.85rem}
.row.bad input,.row.bad select,.row.bad textarea{border-color:var(--err);background:#fff6f5}
.msg{border-radius:6px;padding:.6rem 1rem;margin:0 0 1rem}
.msg.error{background:#fdecea;border:1px solid #f3b8b2;color:var(--err)}
.msg.ok{background:#e8f5ec;border:1px solid #b5dcc0;color:var(--ok)}
#staged form{display:inline;margin-left:.6rem}
#staged button{padding:.15rem .7rem}
.msg ul{margin:.3rem 0 0;padding-left:1.2rem}
.msg.reboot{background:#fff8e1;border:1px solid #f0d48a;color:#6b5200;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.buttons{position:sticky;bottom:0;background:var(--bg);box-shadow:0 -6px 8px -6px rgba(0,0,0,.15);padding:.7rem 0;display:flex;flex-wrap:wrap;gap:.6rem;border-top:1px solid var(--line)}
button,.btn{font:inherit;font-weight:600;border-radius:4px;border:1px solid var(--blue);background:#fff;color:var(--blue);padding:.45rem 1.2rem;cursor:pointer;text-decoration:none;display:inline-block}
button.primary{background:var(--blue);color:#fff}
button.danger{border-color:var(--err);color:var(--err)}
.scroll{overflow-x:auto}
nav.sections{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin:0 0 1rem;font-size:.85rem}
nav.sections a{color:var(--blue2)}
table.grid{border-collapse:collapse;width:100%;font-size:.9rem}
table.grid th,table.grid td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e6e9ee}
table.grid th{background:#f0f3f7;color:var(--blue)}
dl.kv{display:grid;grid-template-columns:minmax(10rem,30%) 1fr;gap:.3rem 1rem;margin:.2rem 0}
dl.kv dt{font-weight:600}
dl.kv dd{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9rem;word-break:break-all}
.panel{display:inline-flex;gap:1.1rem;background:linear-gradient(#2a2f36,#1a1e23);padding:.9rem 1.3rem;border-radius:10px;box-shadow:inset 0 1px 0 #444}
.led{display:flex;flex-direction:column;align-items:center;gap:.35rem;color:#cfd6df;font-size:.7rem;letter-spacing:.05em}
.led i{width:16px;height:16px;border-radius:50%;background:#3a4049;box-shadow:inset 0 1px 2px #000;display:block}
.led.on i{background:#3d9bff;box-shadow:0 0 8px #3d9bff,inset 0 -1px 2px #1d5fa8}
.led.blink i,.led.slow i{background:#3d9bff;box-shadow:0 0 8px #3d9bff;animation:blink 1s steps(1) infinite}
.led.slow i{animation-duration:3s}
.led.red i{background:#ff4d4d;box-shadow:0 0 8px #ff4d4d}
@keyframes blink{50%{opacity:.15}}
section.card.login{max-width:24rem;margin:3rem auto}
.login .buttons{position:static;box-shadow:none;background:transparent}
.login input[type=password]{width:100%}
footer{color:var(--muted);font-size:.75rem;text-align:center;padding:1rem}
@media (max-width:640px){
 .row{grid-template-columns:1fr}
 .field-error{grid-column:1}
 input[type=text],input[type=password]{width:100%}
 dl.kv{grid-template-columns:1fr}
 dl.kv dd{margin-bottom:.4rem}
 main{padding:.6rem}
 table.grid{font-size:.8rem}
}
`;

const JS = `
(function(){
  'use strict';
  document.addEventListener('submit', function(ev){
    var f = ev.target, msg = f.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
    var boxes = f.querySelectorAll('input[data-confirms]');
    for (var i = 0; i < boxes.length; i++) {
      var c = boxes[i], p = f.querySelector('input[name="' + c.getAttribute('data-confirms') + '"]');
      if (p && p.value !== c.value) { ev.preventDefault(); c.setCustomValidity('Does not match the new password'); c.reportValidity(); return; }
      c.setCustomValidity('');
    }
  });
  document.addEventListener('input', function(ev){ if (ev.target.setCustomValidity) ev.target.setCustomValidity(''); });
})();
`;

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

function asset(text: string, type: string): Asset {
  const body = Buffer.from(text.trim() + '\n', 'utf8');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/** Served under /static/. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['web.css', asset(CSS, 'text/css; charset=utf-8')],
  ['web.js', asset(JS, 'text/javascript; charset=utf-8')],
]);
