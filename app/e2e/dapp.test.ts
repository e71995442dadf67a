// The dApp end to end in Debian's Chromium: a local node serving the built dApp, the matcher and a provider
// agent as real processes, and two test wallets (a provider and a client) registered in their pages through
// the Wallet Standard, signing with kit key pairs. Jobs are paid in SOL and in a 6-decimal token the test creates
// and the market accepts. Screenshots of every screen are kept in app/e2e/output/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, CPU_ARCH, JobStatus, MarketClient, associatedTokenAddress, extensionEscrow, hourlyPrice, jobPda, providerPda, toHex,
  tokenAccountBalance, vaultPda,
} from "../../clients/ts/src";
import type { Address, KeyPairSigner } from "@solana/kit";
import type { Browser, Page } from "playwright-core";
import { freePort, repo, startNode, startService, type Node } from "../../clients/ts/test/localnet";
import { acceptedMint, mintTo } from "../../clients/ts/test/mint";
import { formatDuration, formatSol, formatUnits, shortAddress } from "../src/lib/format";
import { eventually, launch } from "./browser";
import { connect, installTestWallet } from "./wallet";

const output = join(repo, "app/e2e/output");
const big = (v: bigint | number) => BigInt(v);
const DEFAULT_ADDRESS = "11111111111111111111111111111111";

describe("the dApp with a test wallet", () => {
  let node: Node;
  let browser: Browser;
  const services: { stop(): void; output(): string }[] = [];
  let appUrl = "";
  let matcherUrl = "";
  /** Uncaught exceptions in any page: the flow must end with none. */
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(output, { recursive: true });
    const appPort = await freePort();
    matcherUrl = `http://127.0.0.1:${await freePort()}`;
    node = await startNode(["--app", join(repo, "app/dist"), "--app-port", String(appPort), "--matcher-url", matcherUrl]);
    appUrl = `http://127.0.0.1:${appPort}/`;
    services.push(await startService(node, join(node.keys, "matcher.json"), ["matcher", "run", "--listen", matcherUrl.slice(7), "--poll-secs", "1"], "matching"));
    browser = await launch();
  });

  after(async () => {
    const pages = browser?.contexts().flatMap((context) => context.pages()) ?? [];
    for (const [index, page] of pages.entries()) await page.screenshot({ path: join(output, `at-end-${index}.png`), fullPage: true });
    await browser?.close();
    services.forEach((s) => s.stop());
    node?.stop();
  });

  async function open(keypair: KeyPairSigner, hash = ""): Promise<Page> {
    // Each party has its own browser profile (storage, remembered wallet), as two people would.
    const page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.on("pageerror", (error) => pageErrors.push(error.stack ?? error.message));
    page.on("console", (message) => message.type() === "error" && console.log(`page console: ${message.text()}`));
    await installTestWallet(page, keypair);
    await page.goto(appUrl + hash);
    await connect(page, keypair);
    return page;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(output, `${name}.png`), fullPage: true });
  const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"] .value`).first().innerText();
  /** Waits for the transaction `label` to settle and requires it confirmed (else fails with what the page said). */
  async function confirmed(page: Page, label: string): Promise<void> {
    const status = page.locator('[role="status"]', { hasText: label });
    await status.and(page.locator('[data-state="confirmed"], [data-state="failed"]')).waitFor({ timeout: 30_000 });
    assert.equal(await status.getAttribute("data-state"), "confirmed", await status.innerText());
  }

  const balance = async (address: Address) => (await node.rpc.getBalance(address, { commitment: "confirmed" }).send()).value as bigint;
  const exists = async (address: Address) => (await node.rpc.getAccountInfo(address, { commitment: "confirmed", encoding: "base64" }).send()).value !== null;

  it("registers a provider, posts a job that is matched and run, completes and rates it, pays in a token, and shows the analytics change", async () => {
    const provider = await node.fund(20);
    const client = await node.fund(20);
    const reader = new MarketClient(node.rpc, provider);

    // Market, before anything happened.
    const providerPage = await open(provider);
    assert.equal(await figure(providerPage, "jobs-completed"), "0");
    assert.equal(await figure(providerPage, "volume"), "0 SOL");
    await shot(providerPage, "1-market-before");

    // My provider: bad input is refused in the form, nothing is signed; then a valid offer registers.
    await providerPage.click('nav a[href="#/provider"]');
    const agentPort = await freePort();
    await providerPage.fill('input[name="cores"]', "four");
    await providerPage.fill('input[name="ramGb"]', "8");
    await providerPage.fill('input[name="perCore"]', "0.001");
    await providerPage.fill('input[name="metadataUri"]', `http://127.0.0.1:${agentPort}`);
    await providerPage.click('button[name="register-provider"]');
    await providerPage.getByRole("alert").filter({ hasText: "CPU cores: a whole number" }).waitFor();
    assert.ok(await providerPage.getByRole("alert").filter({ hasText: "rate per GB of RAM: above zero for a resource you offer" }).isVisible());
    assert.equal(await providerPage.locator('[role="status"]').count(), 0, "no transaction was attempted");
    await providerPage.fill('input[name="cores"]', "4");
    await providerPage.fill('input[name="perGbRam"]', "0.0001");
    // Who may assign it jobs: clients and the matcher, both offered by default.
    assert.ok(await providerPage.isChecked('input[name="assignByClients"]'));
    assert.ok(await providerPage.isChecked('input[name="assignByMatcher"]'));
    await providerPage.click('button[name="register-provider"]');
    await confirmed(providerPage, "Register provider");
    const registered = await reader.getProvider(provider.address);
    assert.deepEqual(registered.capacity, { cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 0 });
    assert.equal(registered.rates.perCore, 1_000_000n);
    assert.equal(registered.assignment, ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER);
    await providerPage.locator('[data-testid="assignment"]', { hasText: "clients and the matcher" }).waitFor();
    await providerPage.locator('[data-figure="earned"]').waitFor();
    // A bond in SOL: a zero deposit is refused in the form by name, nothing signed; then half a SOL goes in.
    await providerPage.fill('input[name="bondAmount"]', "0");
    await providerPage.click('button[name="deposit-bond"]');
    await providerPage.getByRole("alert").filter({ hasText: "deposit: above zero" }).waitFor();
    await providerPage.fill('input[name="bondAmount"]', "0.5");
    await providerPage.click('button[name="deposit-bond"]');
    await confirmed(providerPage, "Deposit 0.5 SOL into your bond");
    assert.equal((await reader.getBond(provider.address))?.held, 500_000_000n);
    await providerPage.locator('[data-testid="bonds"] [data-cell="held"]', { hasText: "0.5 SOL" }).waitFor();
    await shot(providerPage, "2-my-provider");

    // The provider's agent runs what it is given.
    const keyFile = join(node.keys, "e2e-provider.json");
    writeFileSync(keyFile, JSON.stringify([...node.secretKey(provider)]));
    services.push(await startService(node, keyFile,
      ["agent", "run", "--workdir", mkdtempSync(join(tmpdir(), "cm-e2e-agent-")), "--listen", `127.0.0.1:${agentPort}`, "--poll-secs", "1"], "results served at"));

    // Providers: the table, filtered.
    const clientPage = await open(client, "#/providers");
    const row = clientPage.locator(`tr[data-provider="${provider.address}"]`);
    await row.waitFor();
    await clientPage.fill('input[name="minCores"]', "8");
    await row.waitFor({ state: "detached" });
    await clientPage.fill('input[name="minCores"]', "2");
    await row.waitFor();
    await row.locator('[data-cell="bond"]', { hasText: "0.5 SOL (0.5 free)" }).waitFor();
    await shot(clientPage, "3-providers");

    // Post a job: the live estimate, a refusal by the program named in words (the market paused), then the post.
    await clientPage.click('nav a[href="#/post"]');
    await clientPage.fill('input[name="hours"]', "0.05");
    // Two seconds of work, so that the pay for the time used (and the fee on it) is above zero.
    await clientPage.fill('textarea[name="spec"]', '{"version":1,"command":["sh","-c","sleep 2; nproc > out.txt"],"outputs":["out.txt"]}');
    assert.equal(await clientPage.locator('[data-figure="escrow"]').innerText(), "0.0005 SOL");
    assert.equal(await clientPage.locator('[data-figure="fitting"]').innerText(), "1");
    await shot(clientPage, "4-post-job");
    const admin = new MarketClient(node.rpc, node.admin);
    await admin.send([await admin.updateMarket({ paused: true })]);
    await clientPage.click('button[name="post-job"]');
    await clientPage.locator('[role="status"][data-state="failed"]', { hasText: "MarketPaused: The market is paused" }).waitFor({ timeout: 30_000 });
    assert.equal(await reader.getClientProfile(client.address), null, "the failed transaction created nothing");
    await admin.send([await admin.updateMarket({ paused: false })]);
    const before = await balance(client.address);
    await clientPage.click('button[name="post-job"]');
    const [job] = await jobPda(client.address, 0);
    await clientPage.waitForURL(`**#/jobs/${job}`, { timeout: 30_000 });
    const posted = await reader.getJob(job);
    assert.equal(posted.maxPricePerHour, 10_000_000n);
    assert.equal(posted.durationSecs, 180);
    // The matcher may have assigned it already, refunding what the provider's price leaves over.
    const escrow = posted.status === JobStatus.Open ? 500_000n : (big(posted.agreedPricePerHour) * 180n) / 3600n;
    assert.equal(big(posted.escrow), escrow, JSON.stringify({ status: posted.status, agreed: posted.agreedPricePerHour.toString(), escrow: posted.escrow.toString() }));
    assert.ok((await reader.getClientProfile(client.address)) !== null, "the client profile came in the same transaction");
    assert.ok(before - (await balance(client.address)) > 500_000n, "the escrow left the client's wallet");

    // Job detail: live status through the matcher and the agent to a submitted result.
    await clientPage.locator('h2 .status[data-status="Submitted"]').waitFor({ timeout: 60_000 });
    if (node.usesArtifact) {
      for (const name of ["JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted"]) {
        await clientPage.locator(`.timeline li[data-event="${name}"]`).waitFor({ timeout: 15_000 });
      }
    }
    const submitted = await reader.getJob(job);
    assert.equal(submitted.provider, provider.address);
    const hash = toHex(Uint8Array.from(submitted.resultHash));
    assert.equal(await clientPage.locator('[data-figure="result-hash"]').innerText(), hash);
    await clientPage.click('button[name="download-result"]');
    await clientPage.locator('[data-testid="bundle"]', { hasText: "Verified" }).waitFor({ timeout: 15_000 });
    await shot(clientPage, "5-job-submitted");

    // Complete and rate: the escrow splits exactly; the fee waits on the provider's account for the treasury.
    const market = await reader.getMarket();
    const treasuryBefore = await balance(market.treasury);
    const providerAccount = await providerPda(provider.address);
    const providerAccountBefore = await balance(providerAccount);
    await clientPage.selectOption('select[name="rating"]', "4");
    await clientPage.click('button[name="complete"]');
    await confirmed(clientPage, "Complete and pay");
    await clientPage.locator('h2 .status[data-status="Completed"]').waitFor({ timeout: 15_000 });
    const paid = await reader.getJob(job);
    assert.equal(paid.status, JobStatus.Completed);
    assert.equal(paid.rating, 4);
    // Every lamport posted is accounted for: paid for work, fee, or refunded (at assignment and now).
    assert.equal(big(paid.providerPayout) + big(paid.fee) + big(paid.clientRefund), 500_000n);
    assert.ok(big(paid.providerPayout) + big(paid.fee) <= big(submitted.escrow));
    assert.ok(big(paid.fee) > 0n);
    assert.equal((await balance(providerAccount)) - providerAccountBefore, big(paid.fee));
    assert.equal((await reader.getProvider(provider.address)).feesOwed, big(paid.fee));
    assert.equal(await balance(market.treasury), treasuryBefore, "no job writes the treasury");
    if (node.usesArtifact) {
      // The timeline comes from the index (its API is in /config.json), the whole of it, in order.
      await clientPage.locator('.timeline[data-source="index"] li[data-event="JobCompleted"]', { hasText: "rated 4/5" }).waitFor({ timeout: 15_000 });
      const names = await clientPage.locator(".timeline li").evaluateAll((items) => items.map((li) => li.getAttribute("data-event")));
      assert.deepEqual(names, ["JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted", "JobCompleted"]);
    }
    assert.equal(await clientPage.locator('[data-testid="no-index"]').count(), 0, "with an index, no note about reading the node");
    await shot(clientPage, "6-job-completed");

    // The analytics moved by exactly this job.
    await clientPage.click('nav a[href="#/market"]');
    await eventually("the market to count the paid job", async () => (await figure(clientPage, "jobs-completed")) === "1");
    assert.equal(await figure(clientPage, "volume"), formatSol(big(paid.providerPayout) + big(paid.fee)));
    assert.equal(await figure(clientPage, "fees"), formatSol(big(paid.fee)));
    assert.equal(await figure(clientPage, "fees-uncollected"), formatSol(big(paid.fee)));
    assert.equal(await figure(clientPage, "clients"), "1");
    if (node.usesArtifact) await clientPage.locator(".chart-surface").first().waitFor();
    await shot(clientPage, "7-market-after");

    await clientPage.click('nav a[href="#/jobs"]');
    await clientPage.locator(`tr[data-job="${job}"][data-status="Completed"]`).waitFor();
    assert.equal(await figure(clientPage, "completed"), "1");
    await shot(clientPage, "8-my-jobs");

    // My activity: the client's spending by day, from the index's /stats/clients.
    await clientPage.click('nav a[href="#/activity"]');
    await clientPage.locator('[data-testid="activity-source"][data-source="index"]').waitFor();
    if (node.usesArtifact) {
      await eventually("the spending of the last 30 days", async () => (await figure(clientPage, "spent-30d")) === formatSol(big(paid.providerPayout) + big(paid.fee)));
      assert.equal(await figure(clientPage, "fees-30d"), formatSol(big(paid.fee)));
      assert.equal(await figure(clientPage, "posted-30d"), "1");
      assert.equal(await clientPage.locator('[data-testid="client-days"] [data-cell="spent"]').first().innerText(), formatSol(big(paid.providerPayout) + big(paid.fee)));
    }
    await shot(clientPage, "8b-my-activity-client");

    // A job nobody can take: the matcher's reason in words, then the client cancels it for a full refund.
    await clientPage.click('nav a[href="#/post"]');
    await clientPage.fill('input[name="cores"]', "");
    await clientPage.fill('input[name="ramGb"]', "");
    await clientPage.fill('input[name="gpus"]', "8");
    assert.equal(await clientPage.locator('[data-figure="fitting"]').innerText(), "0");
    await clientPage.click('button[name="post-job"]');
    const [unmatched] = await jobPda(client.address, 1);
    await clientPage.waitForURL(`**#/jobs/${unmatched}`, { timeout: 30_000 });
    await clientPage.locator('[data-testid="why"]', { hasText: "no active provider offers 8 GPUs" }).waitFor({ timeout: 15_000 });
    await shot(clientPage, "9-job-why-not-matched");
    await clientPage.click('button[name="cancel"]');
    await confirmed(clientPage, "Cancel job");
    assert.equal(await exists(unmatched), false, "the cancelled job's account is closed");

    // My provider: the earnings, and the fees its account holds, sent on to the treasury from the page.
    await providerPage.click('nav a[href="#/provider"]');
    await eventually("the provider's earnings", async () => (await figure(providerPage, "earned")) === formatSol(big(paid.providerPayout)));
    assert.equal(await figure(providerPage, "fees-owed"), formatSol(big(paid.fee)));
    assert.equal(await figure(providerPage, "earnings-owed"), "0 SOL");
    assert.equal(await providerPage.locator('button[name="withdraw-earnings"]').count(), 0, "nothing held, nothing to withdraw");
    await shot(providerPage, "10-my-provider-earned");
    // My activity: earnings by day, completion rate and uptime, from the index's /stats/providers.
    await providerPage.click('nav a[href="#/activity"]');
    await providerPage.locator('[data-testid="provider-activity"]').waitFor();
    if (node.usesArtifact) {
      await eventually("the earnings of the last 30 days", async () => (await figure(providerPage, "earned-30d")) === formatSol(big(paid.providerPayout)));
      assert.equal(await figure(providerPage, "completed-30d"), "1");
      assert.equal(await figure(providerPage, "completion-30d"), "100%");
      assert.notEqual(await figure(providerPage, "uptime-30d"), "–", "the agent's heartbeats make the provider up");
      await providerPage.locator('.uptime span[data-up="true"]').first().waitFor();
    }
    await shot(providerPage, "10b-my-activity-provider");
    await providerPage.click('nav a[href="#/provider"]');
    await providerPage.click('button[name="collect-fees"]');
    await confirmed(providerPage, "Send fees to the treasury");
    assert.equal((await balance(market.treasury)) - treasuryBefore, big(paid.fee), "the treasury gets the fee, to the lamport");
    await eventually("the fees to leave the provider's account", async () => (await figure(providerPage, "fees-owed")) === "0 SOL");
    await clientPage.click('nav a[href="#/market"]');
    await eventually("the market to count the fees as collected", async () => (await figure(clientPage, "fees-uncollected")) === "0 SOL");
    assert.equal(await figure(clientPage, "fees"), formatSol(big(paid.fee)));

    // The rest runs as two parties would at the same time: a second client paying in a token, and the first
    // client with a provider that only clients may assign.
    const tokenFlow = async () => {
      // Paid in a token: a 6-decimal mint the market accepts (made and allowed here with the node's admin key; the
      // node's /config.json names none, so the dApp names it by short address). The provider quotes it from its page,
      // the client posts a job in it, the provider (which the matcher may not assign) accepts it, its agent runs
      // it and the client completes it: every base unit is accounted for on chain.
      const [{ mint, minter, treasury }, tokenClient] = await Promise.all([acceptedMint(node), node.fund(5)]);
      const symbol = shortAddress(mint);
      const tokens = (amount: bigint) => `${formatUnits(amount, 6)} ${symbol}`;
      // The provider quotes the token from its page while the client gets its tokens and opens the dApp. It first
      // stops the matcher assigning it jobs, so that it accepts the token job itself, from its page.
      const quote = async () => {
        await providerPage.click('nav a[href="#/provider"]');
        await providerPage.uncheck('input[name="assignByMatcher"]');
        await providerPage.click('button[name="update-provider"]');
        await confirmed(providerPage, "Update provider");
        assert.equal((await reader.getProvider(provider.address)).assignment, ASSIGN_BY_CLIENTS);
        await providerPage.locator(`select[name="quote-currency"] option[value="${mint}"]`).waitFor({ state: "attached", timeout: 15_000 });
        await providerPage.selectOption('select[name="quote-currency"]', mint);
        await providerPage.fill('input[name="quote-perCore"]', "0.5");
        await providerPage.fill('input[name="quote-perGbRam"]', "0.0000001");
        await providerPage.click('button[name="add-quote"]');
        await providerPage.getByRole("alert").filter({ hasText: "rate per GB of RAM: at most 6 decimals" }).waitFor();
        await providerPage.fill('input[name="quote-perGbRam"]', "0.05");
        await providerPage.click('button[name="add-quote"]');
        await confirmed(providerPage, "Add quote");
        const quotes = await reader.listMintQuotes(provider.address);
        assert.deepEqual(quotes.map((q) => [q.account.mint, q.account.rates]), [[mint, { perCore: 500_000n, perGbRam: 50_000n, perGbStorage: 0n, perGpu: 0n }]]);
        await providerPage.locator(`[data-quote="${mint}"] [data-cell="rates"]`, { hasText: `0.5 · 0.05 · 0 · 0 ${symbol}` }).waitFor({ timeout: 15_000 });
      };
      // The client's tokens are minted before its page opens, so that the page reads its balance with them.
      const clientTokens = await associatedTokenAddress(tokenClient.address, mint);
      const [tokenPage] = await Promise.all([mintTo(node, minter, mint, tokenClient.address, 10_000_000n).then(() => open(tokenClient, "#/post")), quote()]);
      const providerTokens = await associatedTokenAddress(provider.address, mint);
      assert.equal(await tokenAccountBalance(node.rpc, providerTokens), 0n, "the quote opened the provider's token account, empty");

      await tokenPage.locator(`select[name="currency"] option[value="${mint}"]`).waitFor({ state: "attached", timeout: 15_000 });
      await tokenPage.selectOption('select[name="currency"]', mint);
      await tokenPage.locator('[data-figure="balance"]', { hasText: `you hold ${tokens(10_000_000n)}` }).waitFor({ timeout: 15_000 });
      await tokenPage.fill('input[name="hours"]', "0.05");
      await tokenPage.fill('input[name="maxPrice"]', "2");
      await tokenPage.fill('textarea[name="spec"]', '{"version":1,"command":["sh","-c","sleep 2; nproc > out.txt"],"outputs":["out.txt"]}');
      assert.equal(await tokenPage.locator('[data-figure="escrow"]').innerText(), tokens(100_000n));
      // The provider's quote may reach this page after it opened: it prices the job once the page reloads.
      await tokenPage.locator('[data-figure="fitting"]', { hasText: /^1$/ }).waitFor({ timeout: 15_000 });
      assert.equal(await tokenPage.locator('[data-figure="cheapest"]').innerText(), `${tokens(1_200_000n)}/h`);
      await shot(tokenPage, "14-post-token-job");
      await tokenPage.click('button[name="post-job"]');
      const [tokenJob] = await jobPda(tokenClient.address, 0);
      await tokenPage.waitForURL(`**#/jobs/${tokenJob}`, { timeout: 30_000 });
      const postedInTokens = await reader.getJob(tokenJob);
      assert.equal(postedInTokens.paymentMint, mint);
      assert.equal(postedInTokens.escrow, 100_000n);
      assert.equal(await tokenAccountBalance(node.rpc, clientTokens), 9_900_000n, "the escrow left the client's token account");
      await tokenPage.locator('[data-figure="escrow"]', { hasText: tokens(100_000n) }).waitFor();

      const accept = providerPage.locator(`tr[data-job="${tokenJob}"] button[name="accept"]`);
      await accept.waitFor({ timeout: 15_000 });
      assert.equal(await accept.innerText(), `Accept at ${tokens(1_200_000n)}/h`);
      await accept.click();
      await confirmed(providerPage, "Accept job");
      const acceptedInTokens = await reader.getJob(tokenJob);
      assert.equal(acceptedInTokens.agreedPricePerHour, 1_200_000n);
      assert.equal(await tokenAccountBalance(node.rpc, clientTokens), 9_940_000n, "what the agreed price leaves over came back at assignment");
      await tokenPage.locator('h2 .status[data-status="Submitted"]').waitFor({ timeout: 60_000 });
      const treasuryTokens = await associatedTokenAddress(treasury, mint);
      const treasuryTokensBefore = await tokenAccountBalance(node.rpc, treasuryTokens);
      await tokenPage.click('button[name="complete"]');
      await confirmed(tokenPage, "Complete and pay");
      await tokenPage.locator('h2 .status[data-status="Completed"]').waitFor({ timeout: 15_000 });
      const paidInTokens = await reader.getJob(tokenJob);
      const spentInTokens = paidInTokens.providerPayout + paidInTokens.fee;
      assert.ok(paidInTokens.fee > 0n && paidInTokens.providerPayout > 0n);
      assert.equal(spentInTokens + paidInTokens.clientRefund, 100_000n, "every base unit escrowed is paid, a fee, or refunded");
      assert.equal(await tokenAccountBalance(node.rpc, providerTokens), paidInTokens.providerPayout, "the provider earned its payout, to the base unit");
      assert.equal((await tokenAccountBalance(node.rpc, treasuryTokens)) - treasuryTokensBefore, paidInTokens.fee, "the fee went to the treasury's token account");
      assert.equal(await tokenAccountBalance(node.rpc, clientTokens), 10_000_000n - spentInTokens, "the client paid for the work and its fee; the rest came back");
      assert.equal(await tokenPage.locator('[data-figure="settled"]').innerText(),
        `${tokens(paidInTokens.providerPayout)} to the provider, ${tokens(paidInTokens.fee)} fee for the treasury, ${tokens(paidInTokens.clientRefund)} refunded, rated 5/5`);
      await shot(tokenPage, "15-token-job-completed");

      // A token job cancelled while open: its whole escrow returns to the client's token account.
      await tokenPage.click('nav a[href="#/post"]');
      await tokenPage.locator(`select[name="currency"] option[value="${mint}"]`).waitFor({ state: "attached" });
      await tokenPage.selectOption('select[name="currency"]', mint);
      await tokenPage.click('button[name="post-job"]');
      const [cancelledInTokens] = await jobPda(tokenClient.address, 1);
      await tokenPage.waitForURL(`**#/jobs/${cancelledInTokens}`, { timeout: 30_000 });
      assert.equal(await tokenAccountBalance(node.rpc, clientTokens), 10_000_000n - spentInTokens - 10_000n, "0.01 per hour for an hour escrowed");
      await tokenPage.click('button[name="cancel"]');
      await confirmed(tokenPage, "Cancel job");
      assert.equal(await exists(cancelledInTokens), false);
      assert.equal(await tokenAccountBalance(node.rpc, clientTokens), 10_000_000n - spentInTokens, "the cancelled job's escrow came back whole");

      // The analytics per currency: the token's figures apart from SOL's, which this job left as they were.
      await tokenPage.click('nav a[href="#/market"]');
      if (node.usesArtifact) {
        const inTokens = tokenPage.locator(`[data-testid="by-currency"] tr[data-currency="${mint}"]`);
        // Both token jobs indexed (the index follows the node within seconds): posted, completed, paid, fees.
        const cells = async () => Promise.all(["posted", "completed", "volume", "fees"].map((c) => inTokens.locator(`[data-cell="${c}"]`).innerText()));
        await eventually("the market's figures in the token", async () => (await cells())[0] === "2");
        assert.deepEqual(await cells(), ["2", "1", tokens(spentInTokens), tokens(paidInTokens.fee)]);
        const inSol = tokenPage.locator(`[data-testid="by-currency"] tr[data-currency="${DEFAULT_ADDRESS}"]`);
        assert.equal(await inSol.locator('[data-cell="volume"]').innerText(), formatSol(big(paid.providerPayout) + big(paid.fee)));
        assert.equal(await figure(tokenPage, "volume"), formatSol(big(paid.providerPayout) + big(paid.fee)));
        await tokenPage.selectOption('select[name="chart-currency"]', mint);
        await tokenPage.locator('[data-chart="amounts"] circle').first().waitFor();
        await shot(tokenPage, "16-market-by-currency");
        await providerPage.click('nav a[href="#/activity"]');
        await eventually("the provider's earnings in the token", async () => (await figure(providerPage, `earned-30d-${mint}`)) === tokens(paidInTokens.providerPayout));
        await shot(providerPage, "17-activity-in-tokens");
      }
    };
    const gpuFlow = async () => {
      // A provider with a GPU that only clients may assign: the matcher leaves the job alone, the client assigns
      // it at the price the page shows, cannot take it back yet, extends it, and the provider declines it from its page.
      const gpuKey = await node.fund(5);
      const gpu = new MarketClient(node.rpc, gpuKey);
      const gpuRates = { perCore: 1_000_000n, perGbRam: 1_000n, perGbStorage: 0n, perGpu: 5_000_000n };
      // It declares an RTX 4090 (24 GB); the job asks for that family with at least 24 GB per GPU.
      const rtx4090 = { gpuModel: 0x0401, vramGb: 24, cpuArch: CPU_ARCH.x86_64 };
      await gpu.send([await gpu.registerProvider({ cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 1 }, gpuRates, "http://127.0.0.1:1", ASSIGN_BY_CLIENTS, rtx4090)]);
      await clientPage.click('nav a[href="#/post"]');
      await clientPage.fill('input[name="cores"]', "1");
      await clientPage.fill('input[name="ramGb"]', "1");
      await clientPage.fill('input[name="gpus"]', "1");
      await clientPage.fill('input[name="minVramGb"]', "24");
      await clientPage.selectOption('select[name="gpuFamily"]', String(0x04));
      await clientPage.click('button[name="post-job"]');
      const [gpuJob] = await jobPda(client.address, 2);
      await clientPage.waitForURL(`**#/jobs/${gpuJob}`, { timeout: 30_000 });
      assert.deepEqual((await reader.getJob(gpuJob)).gpu, { models: [0, 0, 0, 0], minVramGb: 24, family: 0x04 });
      await clientPage.locator('[data-figure="gpu-needs"]', { hasText: "RTX4090 family, at least 24 GB" }).waitFor({ timeout: 15_000 });
      const price = hourlyPrice(gpuRates, { cpuCores: 1, ramGb: 1, storageGb: 0, gpus: 1 });
      const assign = clientPage.locator(`[data-testid="client-assign"] tr[data-provider="${gpuKey.address}"] button[name="assign"]`);
      await assign.waitFor({ timeout: 15_000 });
      assert.equal(await assign.innerText(), `Assign at ${formatSol(price)}/h`);
      assert.equal((await reader.getJob(gpuJob)).status, JobStatus.Open, "the matcher may not assign this provider");
      await shot(clientPage, "11-client-assigns");
      await assign.click();
      await confirmed(clientPage, "Assign job");
      const taken = await reader.getJob(gpuJob);
      assert.equal(taken.status, JobStatus.Assigned);
      assert.equal(taken.provider, gpuKey.address);
      assert.equal(big(taken.agreedPricePerHour), price);
      await clientPage.locator('h2 .status[data-status="Assigned"]').waitFor({ timeout: 15_000 });
      assert.ok(await clientPage.isDisabled('button[name="take-back"]'), "a client takes a job back only 10 minutes after assigning it");
      await shot(clientPage, "12-take-back-waits");

      // The client adds half an hour to the assigned job from its page: the cost the page shows leaves its wallet
      // (with the transaction's fee, nothing else) for the vault, to the lamport, and the page shows the new duration.
      const added = extensionEscrow(taken, 1_800);
      await clientPage.fill('input[name="addHours"]', "0.5");
      assert.equal(await clientPage.locator('[data-figure="extension-cost"]').innerText(), formatSol(added));
      const [gpuVault] = await vaultPda(gpuJob);
      const [walletBefore, vaultBefore] = await Promise.all([balance(client.address), balance(gpuVault)]);
      await clientPage.click('button[name="extend"]');
      await confirmed(clientPage, "Extend job");
      const extended = await reader.getJob(gpuJob);
      assert.equal(extended.durationSecs, taken.durationSecs + 1_800);
      assert.equal(extended.escrow, taken.escrow + added);
      const [latest] = await node.rpc.getSignaturesForAddress(gpuJob, { limit: 1, commitment: "confirmed" }).send();
      const extension = await node.rpc.getTransaction(latest.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
      assert.equal(walletBefore - (await balance(client.address)), added + big(extension!.meta!.fee), "the added escrow and the fee, to the lamport");
      assert.equal((await balance(gpuVault)) - vaultBefore, added, "the vault holds the added escrow");
      await clientPage.locator('[data-step="once started, it runs for"]', { hasText: formatDuration(extended.durationSecs) }).waitFor({ timeout: 15_000 });
      if (node.usesArtifact) {
        const described = `Extended by 30 min to ${formatDuration(extended.durationSecs)}: ${formatSol(added)} more escrowed`;
        await clientPage.locator('.timeline li[data-event="JobExtended"]', { hasText: described }).waitFor({ timeout: 15_000 });
      }

      const gpuPage = await open(gpuKey, "#/provider");
      await gpuPage.locator(`tr[data-job="${gpuJob}"] button[name="decline"]`).click();
      await confirmed(gpuPage, "Decline");
      await clientPage.locator('h2 .status[data-status="Open"]').waitFor({ timeout: 15_000 });
      const released = await reader.getJob(gpuJob);
      assert.equal(released.provider, DEFAULT_ADDRESS);
      if (node.usesArtifact) await clientPage.locator('.timeline li[data-event="JobReleased"]', { hasText: "Declined by" }).waitFor({ timeout: 15_000 });
      await clientPage.click('button[name="cancel"]');
      await confirmed(clientPage, "Cancel job");
      assert.equal(await exists(gpuJob), false);

      // The GPU provider retires, keeping its record, and comes back.
      await gpuPage.click('button[name="retire"]');
      await confirmed(gpuPage, "Retire provider");
      await gpuPage.locator('[data-testid="provider-state"]', { hasText: "retired" }).waitFor({ timeout: 15_000 });
      assert.equal((await gpu.getProvider(gpuKey.address)).retired, 1);
      await shot(gpuPage, "13-retired");
      await gpuPage.click('button[name="register-provider"]');
      await confirmed(gpuPage, "Register provider");
      await gpuPage.locator('[data-testid="provider-state"]', { hasText: "accepting jobs" }).waitFor({ timeout: 15_000 });
      const back = await gpu.getProvider(gpuKey.address);
      assert.deepEqual([back.retired, back.gpuModel, back.vramGb, back.cpuArch], [0, rtx4090.gpuModel, rtx4090.vramGb, rtx4090.cpuArch], "the form registers it again with its hardware");
      await gpuPage.locator('[data-testid="gpus"]', { hasText: "1 x RTX4090-24GB (24 GB)" }).waitFor({ timeout: 15_000 });
    };
    await Promise.all([tokenFlow(), gpuFlow()]);
    assert.deepEqual(pageErrors, [], "no uncaught exception in the pages");
  });
});
