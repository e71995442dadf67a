// GENERATED from idl/compute_market.json by clients/ts/scripts/generate.mjs: do not edit.
// Regenerate with `npm run generate` in clients/ts; `npm run generate:check` fails if this copy is stale.
import type { Decoder, ReadonlyUint8Array } from "@solana/kit";
import * as types from "./types";

/** An event's 8-byte discriminator and the decoder of its data (discriminator included: the decoder checks it). */
export interface EventEntry {
  discriminator: ReadonlyUint8Array;
  decoder: Decoder<object>;
}

/** The program's events by name (the IDL's names). */
export const EVENTS: Record<string, EventEntry> = {
  AdminProposed: { discriminator: new Uint8Array([129, 249, 226, 227, 199, 82, 110, 243]), decoder: types.getAdminProposedEventDecoder() },
  AdminTransferred: { discriminator: new Uint8Array([255, 147, 182, 5, 199, 217, 38, 179]), decoder: types.getAdminTransferredEventDecoder() },
  BondDeposited: { discriminator: new Uint8Array([210, 149, 47, 232, 72, 128, 248, 153]), decoder: types.getBondDepositedEventDecoder() },
  BondWithdrawalRequested: { discriminator: new Uint8Array([91, 120, 212, 190, 108, 71, 160, 105]), decoder: types.getBondWithdrawalRequestedEventDecoder() },
  BondWithdrawn: { discriminator: new Uint8Array([111, 192, 154, 231, 58, 115, 130, 103]), decoder: types.getBondWithdrawnEventDecoder() },
  ClientRegistered: { discriminator: new Uint8Array([190, 165, 26, 97, 91, 0, 28, 198]), decoder: types.getClientRegisteredEventDecoder() },
  DisputeResolved: { discriminator: new Uint8Array([121, 64, 249, 153, 139, 128, 236, 187]), decoder: types.getDisputeResolvedEventDecoder() },
  EarningsWithdrawn: { discriminator: new Uint8Array([2, 155, 160, 28, 85, 112, 127, 79]), decoder: types.getEarningsWithdrawnEventDecoder() },
  FeesCollected: { discriminator: new Uint8Array([233, 23, 117, 225, 107, 178, 254, 8]), decoder: types.getFeesCollectedEventDecoder() },
  JobAssigned: { discriminator: new Uint8Array([37, 41, 120, 33, 26, 236, 76, 219]), decoder: types.getJobAssignedEventDecoder() },
  JobCancelled: { discriminator: new Uint8Array([203, 84, 143, 130, 48, 134, 74, 191]), decoder: types.getJobCancelledEventDecoder() },
  JobClosed: { discriminator: new Uint8Array([123, 63, 243, 153, 174, 212, 2, 55]), decoder: types.getJobClosedEventDecoder() },
  JobCompleted: { discriminator: new Uint8Array([176, 207, 246, 115, 95, 179, 9, 132]), decoder: types.getJobCompletedEventDecoder() },
  JobDisputed: { discriminator: new Uint8Array([203, 7, 212, 211, 189, 75, 64, 15]), decoder: types.getJobDisputedEventDecoder() },
  JobExpired: { discriminator: new Uint8Array([213, 123, 115, 173, 157, 242, 12, 71]), decoder: types.getJobExpiredEventDecoder() },
  JobExtended: { discriminator: new Uint8Array([173, 200, 121, 177, 158, 177, 162, 106]), decoder: types.getJobExtendedEventDecoder() },
  JobPosted: { discriminator: new Uint8Array([18, 171, 12, 141, 212, 169, 183, 52]), decoder: types.getJobPostedEventDecoder() },
  JobReleased: { discriminator: new Uint8Array([73, 13, 222, 144, 55, 34, 233, 79]), decoder: types.getJobReleasedEventDecoder() },
  JobStarted: { discriminator: new Uint8Array([8, 44, 116, 171, 51, 119, 74, 188]), decoder: types.getJobStartedEventDecoder() },
  MarketInitialized: { discriminator: new Uint8Array([134, 160, 122, 87, 50, 3, 255, 81]), decoder: types.getMarketInitializedEventDecoder() },
  MarketUpdated: { discriminator: new Uint8Array([170, 51, 74, 147, 116, 168, 217, 251]), decoder: types.getMarketUpdatedEventDecoder() },
  MintQuoteAdded: { discriminator: new Uint8Array([211, 139, 105, 21, 205, 154, 107, 50]), decoder: types.getMintQuoteAddedEventDecoder() },
  MintQuoteRemoved: { discriminator: new Uint8Array([239, 74, 55, 42, 216, 235, 186, 81]), decoder: types.getMintQuoteRemovedEventDecoder() },
  MintQuoteUpdated: { discriminator: new Uint8Array([244, 246, 170, 45, 148, 120, 221, 30]), decoder: types.getMintQuoteUpdatedEventDecoder() },
  PaymentMintAdded: { discriminator: new Uint8Array([144, 122, 133, 112, 121, 75, 20, 201]), decoder: types.getPaymentMintAddedEventDecoder() },
  PaymentMintUpdated: { discriminator: new Uint8Array([220, 223, 8, 225, 211, 132, 243, 102]), decoder: types.getPaymentMintUpdatedEventDecoder() },
  ProviderActivityChanged: { discriminator: new Uint8Array([231, 224, 29, 210, 214, 52, 203, 163]), decoder: types.getProviderActivityChangedEventDecoder() },
  ProviderClosed: { discriminator: new Uint8Array([161, 166, 249, 96, 136, 153, 232, 194]), decoder: types.getProviderClosedEventDecoder() },
  ProviderRegistered: { discriminator: new Uint8Array([38, 209, 137, 78, 185, 19, 147, 14]), decoder: types.getProviderRegisteredEventDecoder() },
  ProviderUpdated: { discriminator: new Uint8Array([143, 4, 27, 180, 122, 208, 164, 136]), decoder: types.getProviderUpdatedEventDecoder() },
  ResultSubmitted: { discriminator: new Uint8Array([156, 153, 163, 89, 245, 144, 63, 94]), decoder: types.getResultSubmittedEventDecoder() },
};
