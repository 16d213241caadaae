import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortDeviceName } from '../../src/http/console/console-activity.js';

test('the console names a device by its browser and system, or by the client it is', () => {
  const cases: [string, string][] = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'Edge 120, Windows'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Mobile Safari/537.36', 'Chrome 121, Android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1', 'Safari 17, iPhone'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0', 'Firefox 120, Linux'],
    ['aws-sdk-js/3.1168.0 ua/2.1 os/linux#6.18 lang/js md/nodejs#20.20.2 api/cognito-identity-provider#3.1168.0', 'aws-sdk-js/3.1168.0'],
  ];
  for (const [agent, name] of cases) assert.equal(shortDeviceName(agent), name);
});
