/**
 * Checks a CloudFormation template against the CloudFormation resource specification, as AWS CDK's
 * maintained database holds it (`@aws-cdk/aws-service-spec`, loaded with
 * `@aws-cdk/service-spec-types`): every resource type exists, every property exists with the right
 * type (nested property types, allowed values, required properties), and every `Ref`, `Fn::GetAtt`,
 * `Fn::Sub`, `Fn::If` and `DependsOn` resolves (a GetAtt's attribute exists for that type). Each
 * problem names the resource and the property path.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, SpecDatabase } from '@aws-cdk/service-spec-types';

type Json = unknown;
type Template = {
  Resources?: Record<
    string,
    { Type?: string; Properties?: Record<string, Json>; [k: string]: Json }
  >;
  Parameters?: Record<string, Json>;
  Conditions?: Record<string, Json>;
  Outputs?: Record<string, unknown>;
};

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

const INTRINSICS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::If',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::GetAZs',
  'Fn::Cidr',
  'Fn::Length',
  'Fn::ToJsonString',
  'Fn::Not',
  'Fn::Equals',
  'Fn::And',
  'Fn::Or',
  'Condition',
]);

let database: Promise<SpecDatabase> | undefined;

/** The specification (about 2 s to load; loaded once per process). */
export function specDatabase(): Promise<SpecDatabase> {
  database ??= loadAwsServiceSpec();
  return database;
}

function isIntrinsic(value: Json): value is Record<string, Json> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0]!);
}

/** Validates `template`; returns one line per problem (empty when it validates). */
export async function validateTemplate(template: Template): Promise<string[]> {
  const db = await specDatabase();
  const problems: string[] = [];
  const resources = template.Resources ?? {};
  const parameters = template.Parameters ?? {};
  const conditions = template.Conditions ?? {};
  const typeOf = (id: string) => {
    const type = resources[id]?.Type;
    return type ? db.lookup('resource', 'cloudFormationType', 'equals', type)[0] : undefined;
  };

  /** Walks a value for intrinsic functions and checks what they refer to. */
  const references = (where: string, value: Json): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        references(`${where}[${i}]`, item);
      });
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, arg] of Object.entries(value as Record<string, Json>)) {
      if (key === 'Ref') {
        const name = String(arg);
        if (!(name in resources) && !(name in parameters) && !PSEUDO.has(name))
          problems.push(
            `${where}: Ref ${name}: no resource, parameter or pseudo parameter has that name`,
          );
      } else if (key === 'Fn::GetAtt') {
        const [id, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/);
        getAtt(where, id ?? '', attribute ?? '');
      } else if (key === 'Fn::Sub') {
        const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [unknown, unknown];
        const local = new Set(Object.keys(vars ?? {}));
        for (const m of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const [name, attribute] = m[1]!.split(/\.(.*)/);
          if (local.has(m[1]!)) continue;
          if (attribute !== undefined) getAtt(`${where} (Fn::Sub)`, name!, attribute);
          else if (!(name! in resources) && !(name! in parameters) && !PSEUDO.has(name!))
            problems.push(`${where}: Fn::Sub \${${name!}}: nothing in the template has that name`);
        }
        if (vars) references(where, vars);
      } else if (key === 'Fn::If' || (key === 'Condition' && typeof arg === 'string')) {
        const name = Array.isArray(arg) ? String(arg[0]) : String(arg);
        if (!(name in conditions)) problems.push(`${where}: ${key} ${name}: no such condition`);
        if (Array.isArray(arg)) references(where, arg.slice(1));
      } else references(INTRINSICS.has(key) ? where : `${where}.${key}`, arg);
    }
  };
  const getAtt = (where: string, id: string, attribute: string): void => {
    const resource = typeOf(id);
    if (!(id in resources))
      problems.push(`${where}: Fn::GetAtt ${id}.${attribute}: no resource ${id}`);
    else if (resource && !(attribute in resource.attributes))
      problems.push(
        `${where}: Fn::GetAtt ${id}.${attribute}: ${resource.cloudFormationType} has no attribute ${attribute} (it has ${Object.keys(resource.attributes).join(', ')})`,
      );
  };

  /** Checks `value` against a property type; returns the problems (for unions, tried in turn). */
  const checkType = (where: string, type: PropertyType, value: Json): string[] => {
    if (isIntrinsic(value)) return [];
    const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value;
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (!['string', 'number', 'boolean'].includes(typeof value))
          return [`${where}: expected a string, got ${got}`];
        if (
          type.type === 'string' &&
          type.allowedValues &&
          !type.allowedValues.includes(String(value))
        )
          return [`${where}: ${String(value)} is not one of ${type.allowedValues.join(', ')}`];
        return [];
      case 'number':
      case 'integer':
        return typeof value === 'number' ||
          (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
          ? []
          : [`${where}: expected a number, got ${got}`];
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false'
          ? []
          : [`${where}: expected a boolean, got ${got}`];
      case 'json':
        return [];
      case 'null':
        return value === null ? [] : [`${where}: expected null`];
      case 'tag':
        return checkObject(
          where,
          {
            Key: { type: { type: 'string' }, required: true },
            Value: { type: { type: 'string' }, required: true },
          },
          value,
        );
      case 'array':
        if (!Array.isArray(value)) return [`${where}: expected a list, got ${got}`];
        return value.flatMap((item, i) => checkType(`${where}[${i}]`, type.element, item));
      case 'map':
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          return [`${where}: expected a mapping, got ${got}`];
        return Object.entries(value).flatMap(([k, v]) =>
          checkType(`${where}.${k}`, type.element, v),
        );
      case 'ref': {
        const definition = db.get('typeDefinition', type.reference.$ref);
        return checkObject(where, definition.properties, value, definition.name);
      }
      case 'union': {
        const attempts = type.types.map((t) => checkType(where, t, value));
        return attempts.some((a) => a.length === 0) ? [] : (attempts[0] ?? []);
      }
      default:
        return [];
    }
  };
  const checkProperty = (where: string, property: Property, value: Json): string[] => {
    const attempts = [property.type, ...(property.previousTypes ?? [])].map((t) =>
      checkType(where, t, value),
    );
    return attempts.some((a) => a.length === 0) ? [] : attempts[0]!;
  };
  const checkObject = (
    where: string,
    properties: Record<string, Property>,
    value: Json,
    name = 'object',
  ): string[] => {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return [`${where}: expected ${name}, got ${Array.isArray(value) ? 'a list' : typeof value}`];
    const out: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      const property = properties[key];
      if (!property) out.push(`${where}.${key}: ${name} has no property ${key}`);
      else out.push(...checkProperty(`${where}.${key}`, property, item));
    }
    for (const [key, property] of Object.entries(properties))
      if (property.required && !(key in value)) out.push(`${where}: ${name} requires ${key}`);
    return out;
  };

  for (const [id, resource] of Object.entries(resources)) {
    const where = `Resources.${id}`;
    const type = resource.Type ?? '';
    const spec = typeOf(id);
    if (!spec) {
      if (!type.startsWith('Custom::'))
        problems.push(`${where}: unknown resource type ${type || '(none)'}`);
    } else {
      problems.push(
        ...checkObject(`${where}.Properties`, spec.properties, resource.Properties ?? {}, type),
      );
    }
    references(`${where}.Properties`, resource.Properties ?? {});
    const dependsOn = resource.DependsOn;
    for (const dep of Array.isArray(dependsOn) ? dependsOn : dependsOn ? [dependsOn] : [])
      if (!(String(dep) in resources))
        problems.push(`${where}.DependsOn: no resource ${String(dep)}`);
    const condition = resource.Condition;
    if (typeof condition === 'string' && !(condition in conditions))
      problems.push(`${where}.Condition: no condition ${condition}`);
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {}))
    references(`Outputs.${id}.Value`, (output as { Value?: Json }).Value);
  for (const [id, condition] of Object.entries(conditions))
    references(`Conditions.${id}`, condition);
  return problems;
}
