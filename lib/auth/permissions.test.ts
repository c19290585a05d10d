import { describe, expect, it } from 'vitest';
import { PERMISSIONS, refusalMessage, roleCan, rolesAllowed, type Permission } from '@/lib/auth/permissions';

describe('permissions', () => {
  it('lets viewers only read, editors build and run, and owners everything', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
      expect(roleCan('owner', permission)).toBe(true);
      expect(roleCan('viewer', permission)).toBe(permission === 'workspace.read');
    }
    expect(roleCan('editor', 'meter.run')).toBe(true);
    expect(roleCan('editor', 'store.write')).toBe(true);
    expect(roleCan('editor', 'apiKey.manage')).toBe(false);
    expect(roleCan('editor', 'audit.read')).toBe(false);
  });

  it('explains a refusal with the role, the workspace, who may, and what', () => {
    expect(refusalMessage('viewer', 'Acme', 'meter.run')).toBe('You are a viewer in Acme: only owners and editors can run meters.');
    expect(refusalMessage('editor', 'Acme', 'apiKey.manage')).toBe('You are an editor in Acme: only owners can create or revoke API keys.');
    expect(refusalMessage('owner', 'Acme', 'apiKey.manage')).toBeNull();
    expect(rolesAllowed('workspace.read')).toBe('owners, editors and viewers');
  });
});
