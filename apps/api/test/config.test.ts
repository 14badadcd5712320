/**
 * The configuration schema: defaults, misspelt values refused with the variable named, and demo mode (accounts
 * with a published password) only where it is safe by default or confirmed twice.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopback, readConfig } from '../src/config';

const read = (env: Record<string, string>) => readConfig(env, {});

describe('configuration', () => {
  it('starts the embedded database on loopback with the demo data, as the README’s start command does', () => {
    expect(read({})).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: '.data', databaseUrl: undefined, demo: true, demoReason: 'embedded on loopback', maxUploadBytes: 200 * 1024 * 1024 });
    expect(read({ DATABASE_URL: 'postgres://db/vbp' })).toMatchObject({ demo: false, demoReason: 'database server' });
  });

  it('creates no account with a published password when listening on the network, unless asked twice', () => {
    expect(read({ HOST: '0.0.0.0' })).toMatchObject({ demo: false, demoReason: 'not on loopback' });
    expect(() => read({ HOST: '0.0.0.0', VBP_DEMO: '1' })).toThrow(ConfigError);
    expect(() => read({ HOST: '192.168.1.20', VBP_DEMO: 'yes' })).toThrow(/VBP_DEMO_ON_NETWORK=yes[\s\S]*明确确认/u);
    expect(read({ HOST: '0.0.0.0', VBP_DEMO: '1', VBP_DEMO_ON_NETWORK: 'yes' })).toMatchObject({ demo: true, demoReason: 'asked' });
    expect(read({ HOST: '::1', VBP_DEMO: 'on' })).toMatchObject({ demo: true });
  });

  it('refuses a misspelt value, naming the variable and the value, instead of reading it as a default', () => {
    expect(() => read({ VBP_DEMO: 'ture' })).toThrow(/VBP_DEMO="ture": must be one of/u);
    expect(() => read({ TRUST_PROXY: 'enabled' })).toThrow(/TRUST_PROXY="enabled"/u);
    expect(() => read({ PORT: '80a' })).toThrow(/PORT="80a": must be a port number/u);
    expect(() => read({ MAX_UPLOAD_MB: '-5', SHUTDOWN_GRACE_SECONDS: 'soon' })).toThrow(/MAX_UPLOAD_MB="-5"[\s\S]*SHUTDOWN_GRACE_SECONDS="soon"/u);
    expect(() => read({ DATABASE_URL: 'mysql://db' })).toThrow(/DATABASE_URL/u);
    expect(read({ VBP_DEMO: '', TRUST_PROXY: 'FALSE', PORT: '' })).toMatchObject({ demo: true, trustProxy: false, port: 8787 });
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '192.168.1.2', 'example.org'].map(isLoopback)).toEqual([false, false, false, false]);
  });
});
