// Anchor's deploy hook (`anchor migrate`, after `anchor deploy`): initialises the market on the cluster
// the provider points at, unless it exists already. The deployer's wallet becomes the admin.
//   TREASURY=<address> FEE_BPS=250 MATCHER=<address> anchor migrate --provider.cluster devnet
import * as anchor from "@anchor-lang/core";
import { PublicKey } from "@solana/web3.js";
import { MarketClient } from "../clients/ts/src";

module.exports = async function (provider: anchor.AnchorProvider) {
  anchor.setProvider(provider);
  const client = new MarketClient(provider.connection, provider.wallet as anchor.Wallet);
  if (await provider.connection.getAccountInfo(client.market)) {
    console.log(`market ${client.market.toBase58()} exists; nothing to do`);
    return;
  }
  const treasury = new PublicKey(process.env.TREASURY ?? provider.wallet.publicKey.toBase58());
  const matcher = process.env.MATCHER ? new PublicKey(process.env.MATCHER) : null;
  const windows = { startWindowSecs: 600, reviewWindowSecs: 3_600, graceSecs: 300, disputeWindowSecs: 86_400 };
  const ix = await client.initializeMarket(treasury, Number(process.env.FEE_BPS ?? 250), windows, matcher);
  const signature = await client.send([ix]);
  console.log(`market ${client.market.toBase58()} initialised (admin ${provider.wallet.publicKey.toBase58()}, treasury ${treasury.toBase58()}): ${signature}`);
};
