import { plansTabPath } from './DiagnosisPlanButton';

describe('plansTabPath', () => {
  it('swaps the Diagnose tab for the Operation Plans tab of the same entity', () => {
    expect(
      plansTabPath(
        '/catalog/default/component/checkout/kubecopilot-diagnose',
        'p-1',
      ),
    ).toBe('/catalog/default/component/checkout/kubecopilot-plans?plan=p-1');
    expect(
      plansTabPath(
        '/catalog/default/component/checkout/kubecopilot-diagnose/',
        'a b',
      ),
    ).toBe('/catalog/default/component/checkout/kubecopilot-plans?plan=a%20b');
  });
});
