import type { FastifyInstance, FastifyReply } from 'fastify';
import { CognitoError } from '../domain/errors.js';
import { FEEDBACK_PATH } from '../domain/risk/user-auth-events.js';
import type { Services } from '../domain/services.js';
import { sendPage } from './hosted/page-kit.js';
import { validateInput } from './model/validate.js';
import { escapeHtml, page } from './hosted/templates.js';
import { formBody } from './web-requests.js';

const FIELDS = ['UserPoolId', 'Username', 'EventId', 'FeedbackToken', 'FeedbackValue'] as const;
type Feedback = Record<(typeof FIELDS)[number], string>;

/**
 * The notification email's one-click links. Opening one shows a button and only the button's POST
 * records the feedback (UpdateAuthEventFeedback with the link's token), so a mail scanner that
 * fetches every link in a message cannot answer for the user.
 */
export function registerAuthEventFeedback(app: FastifyInstance, services: Pick<Services, 'userAuthEvents'>): void {
  app.get<{ Querystring: Record<string, string> }>(FEEDBACK_PATH, async (request, reply) => {
    const feedback = feedbackOf((name) => request.query[name]);
    if (!feedback) return sendPage(reply, 400, page({ title: 'Sign-in feedback' }, '<p>This link is incomplete.</p>'));
    const hidden = FIELDS.map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(feedback[name])}">`).join('\n');
    const question = feedback.FeedbackValue === 'Valid' ? 'Confirm that this sign-in was you.' : 'Report that this sign-in was not you.';
    return sendPage(reply, 200, page({ title: 'Sign-in feedback' }, `<form method="post" action="${FEEDBACK_PATH}">\n${hidden}\n<p>${question}</p>\n<button type="submit">Confirm</button>\n</form>`));
  });
  app.post(FEEDBACK_PATH, async (request, reply) => {
    const form = formBody(request);
    const feedback = feedbackOf((name) => form.get(name) ?? undefined);
    if (!feedback) return sendPage(reply, 400, page({ title: 'Sign-in feedback' }, '<p>This link is incomplete.</p>'));
    try {
      validateInput('UpdateAuthEventFeedback', { ...feedback });
      await services.userAuthEvents.userFeedback(feedback.UserPoolId, feedback.Username, feedback.EventId, feedback.FeedbackToken, feedback.FeedbackValue as 'Valid' | 'Invalid');
    } catch (error) {
      if (error instanceof CognitoError) return refused(reply, error);
      throw error;
    }
    return sendPage(reply, 200, page({ title: 'Sign-in feedback' }, '<p>Thank you. Your feedback was recorded.</p>'));
  });
}

function feedbackOf(get: (name: string) => string | undefined): Feedback | undefined {
  const values = Object.fromEntries(FIELDS.map((name) => [name, get(name)]));
  if (FIELDS.some((name) => typeof values[name] !== 'string' || values[name] === '')) return undefined;
  if (values.FeedbackValue !== 'Valid' && values.FeedbackValue !== 'Invalid') return undefined;
  return values as Feedback;
}

const refused = (reply: FastifyReply, error: CognitoError) =>
  sendPage(reply, error.type === 'NotAuthorizedException' ? 403 : error.type === 'InvalidParameterException' ? 400 : 404, page({ title: 'Sign-in feedback' }, `<p>${escapeHtml(error.message)}</p>`));
