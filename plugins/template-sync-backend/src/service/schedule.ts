import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import type { TemplateSyncSchedule } from '@paved/plugin-paved-common';
import { Duration } from 'luxon';

/** The fleet job's schedule in words, for the portal ("checks every 30 minutes"). */
export function describeSchedule(
  schedule: SchedulerServiceTaskScheduleDefinition | undefined,
): TemplateSyncSchedule {
  if (!schedule)
    return {
      enabled: false,
      description: 'only when asked (the fleet job is switched off)',
    };
  const { frequency } = schedule;
  if ('cron' in frequency)
    return {
      enabled: true,
      description: `on the cron schedule ${frequency.cron}`,
    };
  if ('trigger' in frequency)
    return { enabled: true, description: 'only when asked' };
  const duration = Duration.isDuration(frequency)
    ? frequency
    : Duration.fromObject(frequency);
  const human = duration
    .rescale()
    .toHuman({ listStyle: 'long', unitDisplay: 'long' });
  // "every day", not "every 1 day".
  return {
    enabled: true,
    description: `every ${human.replace(/^1 ([a-z]+)$/, '$1')}`,
  };
}
