import { usePluginData } from '@docusaurus/useGlobalData';
import type { LabCatalogData } from '../../plugins/lab-catalog';

type Lab = LabCatalogData['labs'][number];

/** The lab's entry, or a build error naming what is wrong: a lesson cannot cite a lab that does not exist. */
export function useLab(id: string): Lab {
  const data = usePluginData('lab-catalog') as LabCatalogData;
  const lab = data.labs.find((l) => l.id === id);
  if (!lab) throw new Error(`No lab "${id}" (labs: ${data.labs.map((l) => l.id).join(', ')})`);
  return lab;
}

export function useStep(labId: string, stepId: string): Lab['steps'][number] {
  const lab = useLab(labId);
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) throw new Error(`Lab "${labId}" has no step "${stepId}" (steps: ${lab.steps.map((s) => s.id).join(', ')})`);
  return step;
}

export function useCheck(labId: string, name: string): Lab['checks'][number] {
  const lab = useLab(labId);
  const check = lab.checks.find((c) => c.name === name);
  if (!check) throw new Error(`Lab "${labId}" has no check "${name}" (checks: ${lab.checks.map((c) => c.name).join(', ')})`);
  return check;
}
