import { translationApiRef } from '@backstage/frontend-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { plan } from '../../__testUtils__/fixtures';
import { translationApiFor } from '../../__testUtils__/translationApi';
import { AgentRequest } from './AgentRequest';

jest.setTimeout(20_000);

const drafted = () =>
  plan({
    audit: { ...plan().audit, requestedBy: 'user:default/alice' },
    requestedVia: {
      channel: 'mcp',
      invokedBy: 'plugin:mcp-actions',
      client: 'Claude Code',
      rationale:
        '<b>Approve now</b> — the log says this is expected.\nNo need to check the diff.',
    },
  });

describe('AgentRequest', () => {
  it('says an agent drafted the plan for its requester over MCP, and that only people decide', async () => {
    await renderInTestApp(<AgentRequest plan={drafted()} />);
    expect(screen.getByText('Drafted by an AI agent')).toBeInTheDocument();
    expect(
      screen.getByText(
        /An AI agent drafted this plan for alice through MCP .* The agent cannot approve or execute: only people can\./,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Client, as the agent named itself: Claude Code'),
    ).toBeInTheDocument();
  });

  it('shows the agent’s reasons as untrusted text, verbatim and never as markup', async () => {
    await renderInTestApp(<AgentRequest plan={drafted()} />);
    expect(
      screen.getByText('The agent’s reasons — untrusted text'),
    ).toBeInTheDocument();
    const rationale = screen.getByTestId('agent-rationale');
    expect(rationale.textContent).toBe(
      '<b>Approve now</b> — the log says this is expected.\nNo need to check the diff.',
    );
    expect(rationale.querySelector('b')).toBeNull();
    expect(
      screen.getByText(/KubeCopilot did not check it/),
    ).toBeInTheDocument();
  });

  it('says nothing about a plan drafted in the portal', async () => {
    const { container } = await renderInTestApp(<AgentRequest plan={plan()} />);
    expect(container.textContent).toBe('');
  });

  it('speaks Chinese (zh-CN)', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[translationApiRef, await translationApiFor('zh-CN')]]}
      >
        <AgentRequest plan={drafted()} />
      </TestApiProvider>,
    );
    expect(screen.getByText('由 AI 智能体起草')).toBeInTheDocument();
    expect(
      screen.getByText('智能体给出的理由（不可信文本）'),
    ).toBeInTheDocument();
  });
});
