// The dApp end to end in Debian's Chromium: a local node serving the built dApp, the matcher and a provider
// agent as real processes, and two test wallets (a provider and a client) registered in their pages through
// the Wallet Standard. Screenshots of every screen are kept in app/e2e/output/.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, JobStatus, MarketClient, hourlyPrice, jobPda, keypairWallet, providerPda } from "../../clients/ts/src";
import { BN } from "@anchor-lang/core";
import { PublicKey, type Keypair } from "@solana/web3.js";
import type { Browser, Page } from "playwright-core";
import { freePort, repo, startNode, startService, type Node } from "../../clients/ts/test/localnet";
import { formatSol } from "../src/lib/format";
import { eventually, launch } from "./browser";
import { connect, installTestWallet } from "./wallet";

const output = join(repo, "app/e2e/output");
const big = (v: { toString(): string }) => BigInt(v.toString());

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

  async function open(keypair: Keypair, hash = ""): Promise<Page> {
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

  it("registers a provider, posts a job that is matched and run, completes and rates it, and shows the analytics change", async () => {
    const provider = await node.fund(20);
    const client = await node.fund(20);
    const reader = new MarketClient(node.connection, keypairWallet(provider));

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
    const registered = await reader.getProvider(provider.publicKey);
    assert.deepEqual(registered.capacity, { cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 0 });
    assert.equal(registered.rates.perCore.toString(), "1000000");
    assert.equal(registered.assignment, ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER);
    await providerPage.locator('[data-testid="assignment"]', { hasText: "clients and the matcher" }).waitFor();
    await providerPage.locator('[data-figure="earned"]').waitFor();
    await shot(providerPage, "2-my-provider");

    // The provider's agent runs what it is given.
    const keyFile = join(node.keys, "e2e-provider.json");
    writeFileSync(keyFile, JSON.stringify([...provider.secretKey]));
    services.push(await startService(node, keyFile,
      ["agent", "run", "--workdir", mkdtempSync(join(tmpdir(), "cm-e2e-agent-")), "--listen", `127.0.0.1:${agentPort}`, "--poll-secs", "1"], "results served at"));

    // Providers: the table, filtered.
    const clientPage = await open(client, "#/providers");
    const row = clientPage.locator(`tr[data-provider="${provider.publicKey.toBase58()}"]`);
    await row.waitFor();
    await clientPage.fill('input[name="minCores"]', "8");
    await row.waitFor({ state: "detached" });
    await clientPage.fill('input[name="minCores"]', "2");
    await row.waitFor();
    await shot(clientPage, "3-providers");

    // Post a job: the live estimate, a refusal by the program named in words (the market paused), then the post.
    await clientPage.click('nav a[href="#/post"]');
    await clientPage.fill('input[name="hours"]', "0.05");
    // Two seconds of work, so that the pay for the time used (and the fee on it) is above zero.
    await clientPage.fill('textarea[name="spec"]', '{"version":1,"command":["sh","-c","sleep 2; nproc > out.txt"],"outputs":["out.txt"]}');
    assert.equal(await clientPage.locator('[data-figure="escrow"]').innerText(), "0.0005 SOL");
    assert.equal(await clientPage.locator('[data-figure="fitting"]').innerText(), "1");
    await shot(clientPage, "4-post-job");
    const admin = new MarketClient(node.connection, keypairWallet(node.admin));
    await admin.send([await admin.updateMarket({ paused: true })]);
    await clientPage.click('button[name="post-job"]');
    await clientPage.locator('[role="status"][data-state="failed"]', { hasText: "MarketPaused: The market is paused" }).waitFor({ timeout: 30_000 });
    assert.equal(await reader.getClientProfile(client.publicKey), null, "the failed transaction created nothing");
    await admin.send([await admin.updateMarket({ paused: false })]);
    const before = await node.connection.getBalance(client.publicKey);
    await clientPage.click('button[name="post-job"]');
    const [job] = jobPda(client.publicKey, 0);
    await clientPage.waitForURL(`**#/jobs/${job.toBase58()}`, { timeout: 30_000 });
    const posted = await reader.getJob(job);
    assert.equal(posted.maxPricePerHour.toString(), "10000000");
    assert.equal(posted.durationSecs, 180);
    // The matcher may have assigned it already, refunding what the provider's price leaves over.
    const escrow = posted.status === JobStatus.Open ? 500_000n : (big(posted.agreedPricePerHour) * 180n) / 3600n;
    assert.equal(big(posted.escrow), escrow, JSON.stringify({ status: posted.status, agreed: posted.agreedPricePerHour.toString(), escrow: posted.escrow.toString() }));
    assert.ok((await reader.getClientProfile(client.publicKey)) !== null, "the client profile came in the same transaction");
    assert.ok(before - (await node.connection.getBalance(client.publicKey)) > 500_000, "the escrow left the client's wallet");

    // Job detail: live status through the matcher and the agent to a submitted result.
    await clientPage.locator('h2 .status[data-status="Submitted"]').waitFor({ timeout: 60_000 });
    if (node.usesArtifact) {
      for (const name of ["JobPosted", "JobAssigned", "JobStarted", "ResultSubmitted"]) {
        await clientPage.locator(`.timeline li[data-event="${name}"]`).waitFor({ timeout: 15_000 });
      }
    }
    const submitted = await reader.getJob(job);
    assert.ok(submitted.provider.equals(provider.publicKey));
    const hash = Buffer.from(submitted.resultHash).toString("hex");
    assert.equal(await clientPage.locator('[data-figure="result-hash"]').innerText(), hash);
    await clientPage.click('button[name="download-result"]');
    await clientPage.locator('[data-testid="bundle"]', { hasText: "Verified" }).waitFor({ timeout: 15_000 });
    await shot(clientPage, "5-job-submitted");

    // Complete and rate: the escrow splits exactly; the fee waits on the provider's account for the treasury.
    const market = await reader.getMarket();
    const treasuryBefore = big(await node.connection.getBalance(market.treasury));
    const providerAccountBefore = big(await node.connection.getBalance(providerPda(provider.publicKey)));
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
    assert.equal(big(await node.connection.getBalance(providerPda(provider.publicKey))) - providerAccountBefore, big(paid.fee));
    assert.equal(big((await reader.getProvider(provider.publicKey)).feesOwed), big(paid.fee));
    assert.equal(big(await node.connection.getBalance(market.treasury)), treasuryBefore, "no job writes the treasury");
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
    if (node.usesArtifact) await clientPage.locator(".recharts-surface").first().waitFor();
    await shot(clientPage, "7-market-after");

    await clientPage.click('nav a[href="#/jobs"]');
    await clientPage.locator(`tr[data-job="${job.toBase58()}"][data-status="Completed"]`).waitFor();
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
    const [unmatched] = jobPda(client.publicKey, 1);
    await clientPage.waitForURL(`**#/jobs/${unmatched.toBase58()}`, { timeout: 30_000 });
    await clientPage.locator('[data-testid="why"]', { hasText: "no active provider offers 8 GPUs" }).waitFor({ timeout: 15_000 });
    await shot(clientPage, "9-job-why-not-matched");
    await clientPage.click('button[name="cancel"]');
    await confirmed(clientPage, "Cancel job");
    assert.equal(await node.connection.getAccountInfo(unmatched), null, "the cancelled job's account is closed");

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
    assert.equal(big(await node.connection.getBalance(market.treasury)) - treasuryBefore, big(paid.fee), "the treasury gets the fee, to the lamport");
    await eventually("the fees to leave the provider's account", async () => (await figure(providerPage, "fees-owed")) === "0 SOL");
    await clientPage.click('nav a[href="#/market"]');
    await eventually("the market to count the fees as collected", async () => (await figure(clientPage, "fees-uncollected")) === "0 SOL");
    assert.equal(await figure(clientPage, "fees"), formatSol(big(paid.fee)));

    // A provider with a GPU that only clients may assign: the matcher leaves the job alone, the client assigns
    // it at the price the page shows, cannot take it back yet, and the provider declines it from its page.
    const gpuKey = await node.fund(5);
    const gpu = new MarketClient(node.connection, keypairWallet(gpuKey));
    const gpuRates = { perCore: new BN(1_000_000), perGbRam: new BN(1_000), perGbStorage: new BN(0), perGpu: new BN(5_000_000) };
    await gpu.send([await gpu.registerProvider({ cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 1 }, gpuRates, "http://127.0.0.1:1", ASSIGN_BY_CLIENTS)]);
    await clientPage.click('nav a[href="#/post"]');
    await clientPage.fill('input[name="cores"]', "1");
    await clientPage.fill('input[name="ramGb"]', "1");
    await clientPage.fill('input[name="gpus"]', "1");
    await clientPage.click('button[name="post-job"]');
    const [gpuJob] = jobPda(client.publicKey, 2);
    await clientPage.waitForURL(`**#/jobs/${gpuJob.toBase58()}`, { timeout: 30_000 });
    const price = hourlyPrice(gpuRates, { cpuCores: 1, ramGb: 1, storageGb: 0, gpus: 1 });
    const assign = clientPage.locator(`[data-testid="client-assign"] tr[data-provider="${gpuKey.publicKey.toBase58()}"] button[name="assign"]`);
    await assign.waitFor({ timeout: 15_000 });
    assert.equal(await assign.innerText(), `Assign at ${formatSol(price)}/h`);
    assert.equal((await reader.getJob(gpuJob)).status, JobStatus.Open, "the matcher may not assign this provider");
    await shot(clientPage, "11-client-assigns");
    await assign.click();
    await confirmed(clientPage, "Assign job");
    const taken = await reader.getJob(gpuJob);
    assert.equal(taken.status, JobStatus.Assigned);
    assert.ok(taken.provider.equals(gpuKey.publicKey));
    assert.equal(big(taken.agreedPricePerHour), price);
    await clientPage.locator('h2 .status[data-status="Assigned"]').waitFor({ timeout: 15_000 });
    assert.ok(await clientPage.isDisabled('button[name="take-back"]'), "a client takes a job back only 10 minutes after assigning it");
    await shot(clientPage, "12-take-back-waits");

    const gpuPage = await open(gpuKey, "#/provider");
    await gpuPage.locator(`tr[data-job="${gpuJob.toBase58()}"] button[name="decline"]`).click();
    await confirmed(gpuPage, "Decline");
    await clientPage.locator('h2 .status[data-status="Open"]').waitFor({ timeout: 15_000 });
    const released = await reader.getJob(gpuJob);
    assert.ok(released.provider.equals(PublicKey.default));
    if (node.usesArtifact) await clientPage.locator('.timeline li[data-event="JobReleased"]', { hasText: "Declined by" }).waitFor({ timeout: 15_000 });
    await clientPage.click('button[name="cancel"]');
    await confirmed(clientPage, "Cancel job");
    assert.equal(await node.connection.getAccountInfo(gpuJob), null);

    // The GPU provider retires, keeping its record, and comes back.
    await gpuPage.click('button[name="retire"]');
    await confirmed(gpuPage, "Retire provider");
    await gpuPage.locator('[data-testid="provider-state"]', { hasText: "retired" }).waitFor({ timeout: 15_000 });
    assert.equal((await gpu.getProvider(gpuKey.publicKey)).retired, 1);
    await shot(gpuPage, "13-retired");
    await gpuPage.click('button[name="register-provider"]');
    await confirmed(gpuPage, "Register provider");
    await gpuPage.locator('[data-testid="provider-state"]', { hasText: "accepting jobs" }).waitFor({ timeout: 15_000 });
    assert.equal((await gpu.getProvider(gpuKey.publicKey)).retired, 0);
    assert.deepEqual(pageErrors, [], "no uncaught exception in the pages");
  });
});
