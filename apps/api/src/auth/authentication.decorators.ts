import { SetMetadata } from '@nestjs/common';

export const TOTP_ENROLMENT_ROUTE = 'coord:totp-enrolment-route';

/**
 * The route may be called with an enrolment-only token (an account whose role requires a second factor
 * it has not enrolled yet): enrolling the factor, and signing out. Every other route refuses such a token.
 */
export const AllowedDuringTotpEnrolment = () => SetMetadata(TOTP_ENROLMENT_ROUTE, true);
