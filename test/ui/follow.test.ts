// Following a live capture's tail in the packet list: on from the start, off once the
// user moves away, back on at the newest frame (G) or with F; --ring keeps the rows in view.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../src/ui/data/session.js';
import { statusSegments } from '../../src/ui/present/status.js';
import { packetsLayout } from '../../src/ui/state/layout.js';
import { UiStore } from '../../src/ui/state/store.js';
import { openGate, pcapRecordOffsets } from '../helpers/live-run.js';
import { gatedCapture, loadedStore, LOST_END, press, SCREEN, until } from './helpers.js';

const offsets = pcapRecordOffsets(LOST_END);
const frameStart = (n: number) => offsets[n - 1]!;

let store: UiStore;
afterEach(() => {
  store.dispose();
  store.session.close();
});

const state = () => store.getState();
const gateDir = () => mkdtempSync(join(tmpdir(), 'vsockscope-follow-'));

async function liveStore(splits: readonly number[], ring?: number): Promise<{ gates: string; session: Session }> {
  const gates = gateDir();
  const session = await Session.open(gatedCapture(gates, splits), ring !== undefined ? { ring } : {});
  store = new UiStore(session, SCREEN);
  return { gates, session };
}

describe('following a live capture', () => {
  it('selects the newest frame as frames arrive until the user moves away; F and G follow again', async () => {
    const { gates, session } = await liveStore([frameStart(11), frameStart(21), frameStart(31)]);
    await until(session, 'frames 1..10', () => session.index.count === 10);
    expect(state()).toMatchObject({ follow: true, selected: 10 });
    expect(statusSegments(session, state()).map((s) => s.text)).toContain('LIVE, following');

    openGate(gates, 1);
    await until(session, 'frames 1..20', () => session.index.count === 20);
    expect(state()).toMatchObject({ follow: true, selected: 20 });
    // The list shows the tail: the newest frame on its last visible row.
    const height = packetsLayout(SCREEN).list;
    expect(state().listTop).toBe(20 - height);

    press(store, 'up');
    expect(state()).toMatchObject({ follow: false, selected: 19 });
    expect(statusSegments(session, state()).map((s) => s.text)).toContain('LIVE, paused (F follows)');
    openGate(gates, 2);
    await until(session, 'frames 1..30', () => session.index.count === 30);
    expect(state()).toMatchObject({ follow: false, selected: 19 });

    press(store, 'F');
    expect(state()).toMatchObject({ follow: true, selected: 30 });
    press(store, 'F');
    expect(state()).toMatchObject({ follow: false, selected: 30 });
    press(store, 'g');
    expect(state()).toMatchObject({ follow: false, selected: 1 });
    press(store, 'G');
    expect(state()).toMatchObject({ follow: true, selected: 30 });

    openGate(gates, 3);
    await session.whenLoaded();
    expect(state()).toMatchObject({ follow: true, selected: 43 });
  });

  it('under --ring a list scrolled away keeps its rows in view as old frames are dropped', async () => {
    const { gates, session } = await liveStore([frameStart(31), frameStart(34)], 20);
    await until(session, 'frames 1..30', () => session.index.count === 30);
    expect(session.index.first).toBe(11);
    press(store, 'up');
    const top = session.frameAt(state().listTop);
    expect(state()).toMatchObject({ follow: false, selected: 29 });
    openGate(gates, 1);
    await until(session, 'frames 1..33', () => session.index.count === 33);
    // Three frames dropped from the front: the same frames are in view, the same one selected.
    expect(session.index.first).toBe(14);
    expect(state()).toMatchObject({ follow: false, selected: 29 });
    expect(session.frameAt(state().listTop)).toBe(top);
    press(store, 'g', 'down');
    expect(state().selected).toBe(15);
    openGate(gates, 2);
    await session.whenLoaded();
    // Frames 14..23 went, frame 15 with them: the first kept frame is selected, at the top.
    expect(session.index.first).toBe(24);
    expect(state()).toMatchObject({ follow: false, selected: 24, listTop: 0 });
  });

  it('a capture read whole does not follow; F says why', async () => {
    store = await loadedStore(LOST_END);
    expect(state()).toMatchObject({ follow: false, selected: 1 });
    press(store, 'F');
    expect(state()).toMatchObject({ follow: false, selected: 1, notice: 'F follows a capture as it arrives; this one was read whole' });
  });
});
