import { describe, expect, it } from '@jest/globals';
import { captureLogger } from './helpers/test-app.js';
import { maskPhone, maskPhonesInText } from '../src/lib/mask.js';
import { SecretBox } from '../src/lib/secret-box.js';
import { PeakGauge } from '../src/lib/peak-gauge.js';

describe('masking and secrets', () => {
  it('masks phones as 138****5678 in text and in structured logs', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhonesInText('电话 138-1234-5678 或 +86 13912345678，座机 021-64578888')).toBe('电话 138****5678 或 139****5678，座机 021-****8888');
    const { logger, lines } = captureLogger();
    logger.info({ phone: '13812345678', nested: { text: '李总 13698765432' }, secret: 's3cr3t', token: 'abc' }, '客户 13500001111 来电');
    const out = lines.join('');
    expect(out).not.toMatch(/13812345678|13698765432|13500001111|s3cr3t|"abc"/);
    expect(out).toContain('138****5678');
    expect(out).toContain('135****1111');
  });

  it('seals secrets with authenticated encryption', () => {
    const box = new SecretBox('a master key of sufficient length');
    const sealed = box.sealJson({ secret: 'x' });
    expect(sealed).not.toContain('x"');
    expect(box.openJson(sealed)).toEqual({ secret: 'x' });
    expect(() => new SecretBox('another master key entirely').open(sealed)).toThrow();
    const tampered = sealed.slice(0, -3) + (sealed.endsWith('A') ? 'BBB' : 'AAA');
    expect(() => box.open(tampered)).toThrow();
  });
});

describe('PeakGauge (the workers\' view of how busy acknowledgements are)', () => {
  it('keeps the highest value of the current and the previous window, and forgets after two', () => {
    let t = 0;
    const g = new PeakGauge(500, () => t);
    g.observe(30);
    g.observe(3);
    expect(g.peak()).toBe(30);
    t = 600; // next window: the previous one's peak still counts
    g.observe(2);
    expect(g.peak()).toBe(30);
    t = 1200; // two windows on: only what was seen since
    expect(g.peak()).toBe(2);
    t = 1300;
    g.observe(40);
    t = 9000; // a long quiet stretch forgets everything
    expect(g.peak()).toBe(0);
  });
});
