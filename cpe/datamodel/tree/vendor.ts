import type { DataModel } from '../model';

// Device.UserInterface. X_GRANDSTREAM_ web access (reference §5)
export function registerUserInterface(dm: DataModel): void {
  const p = 'Device.UserInterface.';
  dm.registerParam(`${p}X_GRANDSTREAM_AdminLoginPassword`, { type: 'string', writable: true, pvalue: 2, secret: true });
  dm.registerParam(`${p}X_GRANDSTREAM_UserLoginPassword`, { type: 'string', writable: true, pvalue: 196, secret: true });
  dm.registerParam(`${p}X_GRANDSTREAM_ViewerLoginPassword`, { type: 'string', writable: true, pvalue: 28113, secret: true });
  dm.registerParam(`${p}X_GRANDSTREAM_AccessMethod`, { type: 'unsignedInt', writable: true, pvalue: 1650 });
  dm.registerParam(`${p}X_GRANDSTREAM_Port`, { type: 'unsignedInt', writable: true, pvalue: 901 });
  dm.registerParam(`${p}X_GRANDSTREAM_HTTPSPort`, { type: 'unsignedInt', writable: true, pvalue: 27010 });
  dm.registerParam(`${p}X_GRANDSTREAM_DisableSSH`, { type: 'boolean', writable: true, pvalue: 276 });
}

// Device.X_GRANDSTREAM_Upgrade. (reference §5, P-values §1.3)
export function registerUpgrade(dm: DataModel): void {
  const p = 'Device.X_GRANDSTREAM_Upgrade.';
  dm.registerParam(`${p}UpgradeVia`, { type: 'unsignedInt', writable: true, pvalue: 212 });
  dm.registerParam(`${p}FirmwareUpgrade.FirmwareServerPath`, { type: 'string', writable: true, pvalue: 192 });
  dm.registerParam(`${p}FirmwareUpgrade.FirmwareFilePrefix`, { type: 'string', writable: true, pvalue: 232 });
  dm.registerParam(`${p}FirmwareUpgrade.FirmwareFilePostfix`, { type: 'string', writable: true, pvalue: 233 });
  dm.registerParam(`${p}ConfigFile.ConfigServerPath`, { type: 'string', writable: true, pvalue: 237 });
  dm.registerParam(`${p}ConfigFile.ConfigFilePrefix`, { type: 'string', writable: true, pvalue: 234 });
  dm.registerParam(`${p}ConfigFile.ConfigFilePostfix`, { type: 'string', writable: true, pvalue: 235 });
  dm.registerParam(`${p}ConfigFile.XMLConfigFilePassword`, { type: 'string', writable: true, pvalue: 1359, secret: true });
  dm.registerParam(`${p}ConfigFile.AuthenticateConfFile`, { type: 'boolean', writable: true, pvalue: 240 });
  dm.registerParam(`${p}AutomaticUpgrade`, { type: 'unsignedInt', writable: true, pvalue: 22296 });
  dm.registerParam(`${p}AutomaticUpgradeInterval`, { type: 'unsignedInt', writable: true, pvalue: 193 });
  dm.registerParam(`${p}AutomaticUpgradeHour`, { type: 'unsignedInt', writable: true, pvalue: 285 });
  dm.registerParam(`${p}AutomaticUpgradeWeekday`, { type: 'unsignedInt', writable: true, pvalue: 286 });
  dm.registerParam(`${p}AllowDHCPOption66OrOption160toOverrideServer`, { type: 'boolean', writable: true, pvalue: 145 });
}

// Device.X_GRANDSTREAM_Syslog. (reference §5)
export function registerSyslog(dm: DataModel): void {
  const p = 'Device.X_GRANDSTREAM_Syslog.';
  dm.registerParam(`${p}SyslogServer`, { type: 'string', writable: true, pvalue: 207 });
  dm.registerParam(`${p}SyslogLevel`, { type: 'unsignedInt', writable: true, pvalue: 208 });
  dm.registerParam(`${p}SendSIPLog`, { type: 'boolean', writable: true, pvalue: 1387 });
}
