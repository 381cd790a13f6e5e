/**
 * Consumer-group lag and per-run topic sizes from Kafka's admin API (ADR 0073). The broker keeps
 * no lag per group in JMX (clients compute it), and ClickHouse's librdkafka consumer reports none,
 * so the lag is computed here the way kafka-consumer-groups.sh does: for each partition a group
 * has committed, log end offset minus committed offset.
 */
import type { Admin } from 'kafkajs';
import { OWN_GROUP_PREFIX, topicRole } from './runs.ts';

export interface GroupLag {
  group: string;
  topic: string;
  lag: number;
}

export interface GroupInfo {
  group: string;
  members: number;
  state: string;
}

/** Log end offsets (high watermarks) per partition, summed per topic: records produced (at-least-once topics). */
export async function topicEnds(admin: Admin, topics: readonly string[]): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  await Promise.all(
    topics.map(async (topic) => {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        out.set(topic, new Map(offsets.map((o) => [o.partition, Number(o.high)])));
      } catch {
        /* deleted since the listing */
      }
    }),
  );
  return out;
}

/**
 * Lag per (group, topic) for every group but the exporter's own. Offsets are fetched for groups
 * with members, and for empty groups of a run whose topics still exist (a stopped ClickHouse
 * consumer leaves its group empty: that lag is the one to watch). Empty groups of runs long
 * removed (a CI run leaves dozens) are listed but not asked, which keeps a scrape cheap.
 */
export async function groupLags(admin: Admin, ends: ReadonlyMap<string, ReadonlyMap<number, number>>, liveRuns: ReadonlySet<string>): Promise<{ lags: GroupLag[]; groups: GroupInfo[] }> {
  const listed = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => !g.startsWith(OWN_GROUP_PREFIX));
  if (listed.length === 0) return { lags: [], groups: [] };
  const described = await admin.describeGroups(listed);
  const groups = described.groups.map((g) => ({ group: g.groupId, members: g.members.length, state: g.state }));
  const ofLiveRun = (group: string) => [...liveRuns].some((run) => group.startsWith(`${run}_`));
  const asked = groups.filter((g) => g.members > 0 || ofLiveRun(g.group)).map((g) => g.group);
  const lags: GroupLag[] = [];
  await Promise.all(
    asked.map(async (group) => {
      const offsets = await admin.fetchOffsets({ groupId: group }).catch(() => []);
      for (const { topic, partitions } of offsets) {
        const end = ends.get(topic);
        if (!end) continue;
        const committed = partitions.filter((p) => Number(p.offset) >= 0);
        if (committed.length === 0) continue;
        const lag = committed.reduce((sum, p) => sum + Math.max(0, (end.get(p.partition) ?? 0) - Number(p.offset)), 0);
        lags.push({ group, topic, lag });
      }
    }),
  );
  return { lags, groups };
}

/** The pipeline's topics by run: every topic named like src/pipeline/names.ts names them. */
export function pipelineTopics(topics: readonly string[]) {
  return topics.flatMap((topic) => {
    const r = topicRole(topic);
    return r ? [{ topic, ...r }] : [];
  });
}
