import { matchesRequirements, parseLabelSelector, requirementsToString, selectorObjectToString } from './labels';
import { parseFieldSelector } from './fields';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend', version: '3' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (web,api)', true],
    ['app in ( api , db )', false],
    ['app notin (api)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['version>2', true],
    ['version<3', false],
    ['example.com/key=', false],
    ['', true],
  ])('%s -> %s', (selector, expected) => {
    expect(matchesRequirements(labels, parseLabelSelector(selector))).toBe(expected);
  });

  it.each(['app in (a', 'app=(x)', 'a b', '=x', 'app=in valid', 'version>x', 'Bad Key=1'])('rejects %s', s => {
    expect(() => parseLabelSelector(s)).toThrow();
  });

  it('prints selectors like labels.Selector.String()', () => {
    expect(requirementsToString(parseLabelSelector('tier in (b,a),app=web,!x'))).toBe('app=web,tier in (a,b),!x');
    expect(selectorObjectToString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] })).toBe('a=1,b=2,c');
  });
});

describe('field selectors', () => {
  it('parses =, == and != with escapes', () => {
    expect(parseFieldSelector('status.phase!=Failed,metadata.name==a\\,b,spec.nodeName=')).toEqual([
      { field: 'status.phase', op: '!=', value: 'Failed' },
      { field: 'metadata.name', op: '=', value: 'a,b' },
      { field: 'spec.nodeName', op: '=', value: '' },
    ]);
    expect(() => parseFieldSelector('justtext')).toThrow();
  });
});
