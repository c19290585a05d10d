export { createMeter, createMeterSchema, meterNameSchema, type CreateMeterInput } from '@/lib/meters/repository/create-meter';
export { listMeters, type MeterListItem } from '@/lib/meters/repository/list-meters';
export { loadMeterContext } from '@/lib/meters/repository/load-meter-context';
export { getMeterForEditor, getMeterVersionGraph, listMeterVersions, meterExists, type MeterForEditor, type MeterVersionItem } from '@/lib/meters/repository/read-meters';
export { METER_HAS_ERRORS, meterHasErrors, restoreMeterVersion, saveMeterVersion, type SavedVersion } from '@/lib/meters/repository/save-meter-version';
export { metersOfStore, type StoreMeter } from '@/lib/meters/repository/meters-of-store';
export { runModesOfStoreWriters } from '@/lib/meters/repository/run-modes';
