/** The STATUS tab: identity, uptime, per-port status, provisioning, and a drawing of the LED panel. */
import { html, type SafeHtml } from './html';
import { LED_NAMES, type LedLook, type StatusView } from './status-view';

const LED_TITLES: Readonly<Record<LedLook, string>> = {
  off: 'off',
  on: 'on',
  slowBlink: 'slow blinking',
  fastBlink: 'blinking',
};

const LED_CLASS: Readonly<Record<LedLook, string>> = { off: '', on: 'on', slowBlink: 'slow', fastBlink: 'blink' };

export function renderLedPanel(leds: StatusView['leds']): SafeHtml {
  return html`<div class="panel" id="led-panel" role="img" aria-label="LED panel">${LED_NAMES.map(
    (n) =>
      html`<span class="led ${LED_CLASS[leds[n]]}" data-led="${n}" data-state="${leds[n]}" title="${n.toUpperCase()}: ${LED_TITLES[leds[n]]}"><i></i>${n.toUpperCase()}</span>`,
  )}</div>`;
}

export function renderStatus(v: StatusView): SafeHtml {
  return html`<section class="card"><h2>System</h2><dl class="kv" id="system">
<dt>MAC Address</dt><dd>WAN — <span id="wan-mac">${v.wanMac}</span> · LAN — <span id="lan-mac">${v.lanMac}</span></dd>
<dt>WAN IPv4 Address</dt><dd id="address">${v.address}</dd>
<dt>Product Model</dt><dd id="model">${v.model}</dd>
<dt>Hardware Version</dt><dd>${v.hardware}</dd>
<dt>Software Version</dt><dd id="firmware">${v.firmware}</dd>
<dt>Serial Number</dt><dd>${v.serial}</dd>
<dt>System Up Time</dt><dd id="uptime">${v.uptime} (boot #${v.bootCount})</dd>
</dl></section>
<section class="card"><h2>LED Panel</h2>${renderLedPanel(v.leds)}</section>
<section class="card"><h2>Port Status</h2><div class="scroll"><table class="grid" id="ports">
<thead><tr><th>Port</th><th>Hook</th><th>User ID</th><th>Registration</th><th>Call State</th></tr></thead>
<tbody>${v.ports.map(
    (p) =>
      html`<tr data-port="${p.port}"><td>${p.port}</td><td class="hook">${p.hook}</td><td>${p.userId}</td><td class="registration">${p.registration}</td><td class="call">${p.callState}</td></tr>`,
  )}</tbody></table></div></section>
<section class="card"><h2>Provisioning</h2><dl class="kv">
<dt>Last Config Provisioning</dt><dd id="provisioning">${v.provisioning}</dd>
<dt>Last Firmware Upgrade</dt><dd id="firmware-upgrade">${v.firmwareUpgrade}</dd>
</dl></section>
<section class="card"><h2>Management</h2><dl class="kv">
<dt>Remote Syslog</dt><dd id="syslog">${v.syslog}</dd>
<dt>SNMP</dt><dd id="snmp">${v.snmp}</dd>
<dt>SSH Console</dt><dd id="ssh">${v.ssh}</dd>
<dt>Telnet Console</dt><dd id="telnet">${v.telnet}</dd>
<dt>Next Automatic Reboot</dt><dd id="next-reboot">${v.nextReboot}</dd>
</dl></section>`;
}
