import { Module } from '@nestjs/common';
import { InformantsController } from './informants.controller';
import { InformantCustodyService } from './informant-custody.service';

@Module({ controllers: [InformantsController], providers: [InformantCustodyService] })
export class InformantsModule {}
