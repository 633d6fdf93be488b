import { expect } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';

/** The RoomError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<RoomError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(RoomError);
    return error as RoomError;
  }
  throw new Error('expected a rejection');
}
