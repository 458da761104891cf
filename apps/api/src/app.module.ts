import { createSecretKey } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import type { Infrastructure } from '@coord/platform';
import { AgenciesController } from './agencies/agencies.controller';
import { AgencyDirectory } from './agencies/agency-directory.service';
import { AccountsService } from './auth/accounts.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AccountAdminController } from './auth/account-admin.controller';
import { AccountLoader } from './auth/account-credentials';
import { AuthStateStore } from './auth/auth-state.store';
import { AuthenticationService } from './auth/authentication.service';
import { CredentialsService } from './auth/credentials.service';
import { LoginService } from './auth/login.service';
import { LoginThrottle } from './auth/login-throttle.service';
import { OidcVerifier } from './auth/oidc-verifier';
import { SessionService } from './auth/session.service';
import { Authorizer } from './auth/authorization/authorizer';
import { RecusalModule } from './auth/authorization/recusal.module';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { CaseStepHandler, FileCaseHandler } from './cases/case.bus-handlers';
import { CasesController } from './cases/cases.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { HistoryService } from './history/history.service';
import { ConsistentRead } from './http/consistent-read.service';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ReadYourWritesInterceptor } from './http/read-your-writes.interceptor';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { EmbeddedRelayService } from './intake/embedded-relay.service';
import { IntakeConsumer } from './intake/intake.consumer';
import { KafkaObservability } from './intake/kafka-observability.service';
import { NotificationsModule } from './notifications/notifications.module';
import { BulletinsModule } from './bulletins/bulletins.module';
import { LeadStepHandler, RegisterLeadHandler } from './leads/lead.bus-handlers';
import { LeadsController } from './leads/leads.controller';
import { MeetingsModule } from './meetings/meetings.module';
import { IntegrityModule } from './integrity/integrity.module';
import { ReportsController } from './reports/reports.controller';
import { PeriodicReportsController } from './reports/periodic-reports.controller';
import { PeriodicReportService } from './reports/periodic-report.service';
import { LedgersController } from './ledger-io/ledgers.controller';
import { LedgerExportService } from './ledger-io/ledger-export.service';
import { LedgerImportService } from './ledger-io/ledger-import.service';
import { LedgerUploadParser } from './ledger-io/ledger-upload.parser';
import { TimeTravelService } from './ledger-io/time-travel.service';
import { OpenSupervisionItemHandler, SupervisionStepHandler } from './supervision/supervision.bus-handlers';
import { SupervisionController } from './supervision/supervision.controller';
import { UsersController } from './users/users.controller';
import { InformantsModule } from './informants/informants.module';
import { AccessAuditModule } from './access-audit/access-audit.module';

@Module({})
export class AppModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(infra),
        RecusalModule,
        NotificationsModule,
        MeetingsModule,
        IntegrityModule,
        BulletinsModule,
        InformantsModule,
        AccessAuditModule,
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty' }),
        // A KeyObject, not the string: jsonwebtoken first tries to parse a string secret as a PEM public
        // key (createPublicKey throws, and building that error cost ~6 % of the api's CPU per request),
        // then falls back to createSecretKey(Buffer.from(secret)) — exactly this key, made once here.
        JwtModule.register({ secret: createSecretKey(Buffer.from(infra.config.jwtSecret, 'utf8')), signOptions: { expiresIn: infra.config.tokenTtlSeconds, algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
      ],
      controllers: [
        AuthController,
        UsersController,
        AccountAdminController,
        AgenciesController,
        LeadsController,
        CasesController,
        SupervisionController,
        ReportsController,
        PeriodicReportsController,
        LedgersController,
        CalendarController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
        AccountsService,
        // sign-in (docs/security-authentication.md)
        AccountLoader,
        AuthStateStore,
        AuthenticationService,
        CredentialsService,
        LoginService,
        LoginThrottle,
        OidcVerifier,
        SessionService,
        Authorizer,
        AgencyDirectory,
        CalendarService,
        PeriodicReportService,
        LedgerExportService,
        LedgerImportService,
        LedgerUploadParser,
        TimeTravelService,
        HistoryService,
        ConsistentRead,
        BootstrapService,
        EmbeddedRelayService,
        IntakeConsumer,
        KafkaObservability,
        RegisterLeadHandler,
        LeadStepHandler,
        FileCaseHandler,
        CaseStepHandler,
        OpenSupervisionItemHandler,
        SupervisionStepHandler,
      ],
    };
  }
}
