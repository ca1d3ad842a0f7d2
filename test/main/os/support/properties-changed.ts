import { MessageType, type DbusMessage, type DbusValue } from '../../../../main/os/dbus/dbus-wire.js';

/** A PropertiesChanged signal on a logind session path, with the signature and body given. */
export const propertiesChanged = (signature: string, body: DbusValue[]): DbusMessage => ({
  type: MessageType.signal,
  flags: 1,
  serial: 7,
  path: '/org/freedesktop/login1/session/_31',
  interface: 'org.freedesktop.DBus.Properties',
  member: 'PropertiesChanged',
  signature,
  body,
});
