import { describe } from 'node:test';
import { sessionStoreContract } from '../contract/sessionStoreContract';
import { redisTestBed } from '../redis/redisFixtures';
import { hybridFixture } from './hybridFixtures';

// The whole store contract, unchanged, on the hybrid: a local store with every session shared
// through a real redis-server the file starts itself.

describe('hybrid store (local JSON + Redis mirror)', { timeout: 180_000 }, () => {
  const bed = redisTestBed('standalone');
  sessionStoreContract('hybrid json+redis', hybridFixture(bed, 'json'), { durable: true });
  sessionStoreContract('hybrid sqlite+redis', hybridFixture(bed, 'sqlite'), { durable: true });
});
