import { Global, Module } from '@nestjs/common';
import { RecusalService } from './recusal';

/**
 * One RecusalService for the whole api: the guard, the lead/case controllers and the feature modules'
 * lists (bulletins, notifications) share it, and with it its cache of streams' first events — separate
 * instances per module would each fill their own copy.
 */
@Global()
@Module({ providers: [RecusalService], exports: [RecusalService] })
export class RecusalModule {}
