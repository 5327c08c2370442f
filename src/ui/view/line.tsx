// One screen line. Every view draws whole lines already cut to the screen's width.

import { Box, Text } from 'ink';
import type { Severity } from '../../dissect/findings.js';

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { error: 'red', warning: 'yellow', info: 'cyan' };

/** The colour of a severity, unless colour is off (NO_COLOR). */
export function severityColor(severity: Severity | undefined, color: boolean): string | undefined {
  return color && severity !== undefined ? SEVERITY_COLOR[severity] : undefined;
}

export interface LineProps {
  readonly text: string;
  readonly severity?: Severity | undefined;
  readonly color: boolean;
  readonly inverse?: boolean;
  readonly bold?: boolean;
  readonly dim?: boolean;
}

export function Line({ text, severity, color, inverse, bold, dim }: LineProps) {
  return (
    <Text wrap="truncate" color={severityColor(severity, color)} inverse={inverse} bold={bold} dimColor={dim}>
      {text}
    </Text>
  );
}

/** A pane's title row: `-- Title ---...`, bold when the pane has the focus. */
export function Title({ text, width, focused, color }: { text: string; width: number; focused: boolean; color: boolean }) {
  const head = `${focused ? '==' : '--'} ${text} `;
  return <Line text={head.padEnd(width, focused ? '=' : '-').slice(0, width)} bold={focused} color={color} />;
}

/** Blank lines that keep a pane its height. */
export function Filler({ count }: { count: number }) {
  return count > 0 ? <Box height={count} flexShrink={0} /> : null;
}
