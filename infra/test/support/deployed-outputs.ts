import type { Template } from 'aws-cdk-lib/assertions';
import type { StackOutput } from '../../src/run-task/results-task-target.ts';

/**
 * A resource's identity as CloudFormation would hand it back, made up from its logical id: `Ref` gives
 * `ref:<id>`, `Fn::GetAtt` gives `<id>.<attribute>`. Enough to tell which resource a deployed value names.
 */
export function physicalValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    if ('Ref' in value && typeof value.Ref === 'string') return `ref:${value.Ref}`;
    if ('Fn::GetAtt' in value && Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'].join('.');
    if ('Fn::Join' in value && Array.isArray(value['Fn::Join'])) {
      const [separator, parts] = value['Fn::Join'];
      if (typeof separator === 'string' && Array.isArray(parts))
        return parts.map(physicalValue).join(separator);
    }
  }
  throw new Error(`cannot stand in for ${JSON.stringify(value)}`);
}

/** The stack's outputs as DescribeStacks returns them after a deploy (physical values made up as above). */
export function deployedOutputs(template: Template): StackOutput[] {
  const outputs: Record<string, { Value: unknown }> = template.toJSON().Outputs ?? {};
  return Object.entries(outputs).map(([key, output]) => ({
    OutputKey: key,
    OutputValue: physicalValue(output.Value),
  }));
}

/** The logical id behind a made-up physical value (`ref:<id>` or `<id>.<attribute>`). */
export function logicalIdIn(physical: string): string {
  return physical.startsWith('ref:') ? physical.slice('ref:'.length) : (physical.split('.')[0] ?? physical);
}
