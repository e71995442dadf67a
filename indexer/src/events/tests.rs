use anchor_lang::Event;
use base64::Engine;

use super::*;

fn started(job: Pubkey) -> JobStarted {
    JobStarted { job, client: Pubkey::new_unique(), provider: Pubkey::new_unique(), run_deadline: 99, timestamp: 42 }
}

fn data_line(bytes: &[u8]) -> String {
    format!("Program data: {}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn invoke(id: &Pubkey, depth: u32) -> String {
    format!("Program {id} invoke [{depth}]")
}

fn success(id: &Pubkey) -> String {
    format!("Program {id} success")
}

#[test]
fn reads_the_programs_event_with_its_fields() {
    let program = compute_market::ID;
    let job = Pubkey::new_unique();
    let log = vec![invoke(&program, 1), "Program log: Instruction: StartJob".into(), data_line(&started(job).data()), success(&program)];
    let (records, problems) = events_in_log(&program, &log);
    assert!(problems.is_empty());
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].instruction, records[0].seq), (0, 0));
    assert_eq!(records[0].event.name(), "JobStarted");
    let json = records[0].event.to_json();
    assert_eq!(json["job"], job.to_string());
    assert_eq!((json["run_deadline"].as_i64(), json["timestamp"].as_i64()), (Some(99), Some(42)));
}

#[test]
fn numbers_instructions_by_top_level_invocations_and_events_across_the_transaction() {
    let program = compute_market::ID;
    let other = Pubkey::new_unique();
    let log = vec![
        invoke(&other, 1),
        success(&other),
        invoke(&program, 1),
        data_line(&started(Pubkey::new_unique()).data()),
        invoke(&other, 2),
        success(&other),
        success(&program),
        invoke(&program, 1),
        data_line(&started(Pubkey::new_unique()).data()),
        success(&program),
    ];
    let (records, problems) = events_in_log(&program, &log);
    assert!(problems.is_empty());
    let positions: Vec<(u32, u32)> = records.iter().map(|r| (r.instruction, r.seq)).collect();
    assert_eq!(positions, vec![(1, 0), (2, 1)]);
}

#[test]
fn ignores_event_bytes_another_program_logs() {
    let program = compute_market::ID;
    let impostor = Pubkey::new_unique();
    let forged = data_line(&started(Pubkey::new_unique()).data());
    // The impostor logs a perfect copy of our event, at top level and inside our own CPI.
    let log = vec![
        invoke(&impostor, 1),
        forged.clone(),
        success(&impostor),
        invoke(&program, 1),
        invoke(&impostor, 2),
        forged,
        success(&impostor),
        success(&program),
    ];
    let (records, problems) = events_in_log(&program, &log);
    assert!(records.is_empty() && problems.is_empty());
}

#[test]
fn names_what_is_wrong_with_bad_program_data() {
    let program = compute_market::ID;
    let mut short = started(Pubkey::new_unique()).data();
    short.truncate(20);
    let mut long = started(Pubkey::new_unique()).data();
    long.push(0);
    let log = vec![
        invoke(&program, 1),
        "Program data: %%%".into(),
        data_line(&[1, 2, 3, 4, 5, 6, 7, 8, 9]),
        data_line(&short),
        data_line(&long),
        success(&program),
    ];
    let (records, problems) = events_in_log(&program, &log);
    assert!(records.is_empty());
    assert_eq!(
        problems,
        vec![
            LogProblem::NotBase64,
            LogProblem::UnknownDiscriminator,
            LogProblem::Malformed("JobStarted"),
            LogProblem::Malformed("JobStarted"),
        ]
    );
    assert_eq!(problems[2].to_string(), "a JobStarted event whose bytes do not decode");
}

#[test]
fn stops_at_a_truncated_log_and_refuses_unbalanced_ones() {
    let program = compute_market::ID;
    let event = data_line(&started(Pubkey::new_unique()).data());
    let truncated = vec![invoke(&program, 1), event.clone(), "Log truncated".into(), event.clone()];
    let (records, problems) = events_in_log(&program, &truncated);
    assert_eq!((records.len(), problems), (1, vec![LogProblem::Truncated]));

    let other = Pubkey::new_unique();
    let unbalanced = vec![invoke(&program, 1), event, success(&other)];
    let (records, problems) = events_in_log(&program, &unbalanced);
    assert!(records.is_empty());
    assert_eq!(problems, vec![LogProblem::UnbalancedInvokes]);
}

#[test]
fn decodes_every_event_the_idl_declares() {
    let idl: serde_json::Value =
        serde_json::from_str(include_str!("../../../idl/compute_market.json")).expect("the IDL parses");
    let declared = idl["events"].as_array().expect("events");
    for event in declared {
        let name = event["name"].as_str().unwrap();
        let discriminator: Vec<u8> =
            event["discriminator"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
        // Past the discriminator the bytes are short: the decoder must recognise the event by name.
        match ProgramEvent::decode(&discriminator) {
            Err(LogProblem::Malformed(decoded)) => assert_eq!(decoded, name),
            Err(other) => panic!("{name}: {other}"),
            Ok(_) => panic!("{name} decoded from its discriminator alone"),
        }
    }
    assert_eq!(declared.len(), 31);
}

#[test]
fn names_every_event_once() {
    let mut names = ProgramEvent::NAMES.to_vec();
    assert_eq!(names.len(), 31);
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 31);
    assert!(names.contains(&"JobCompleted") && names.contains(&"MintQuoteRemoved"));
}
