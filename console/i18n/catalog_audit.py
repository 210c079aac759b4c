"""The audit trail's check: what `gridcall audit verify` finds, the digests and their keys."""

AUDIT: dict[str, tuple[str, str]] = {
    # what verify finds in the chain
    "audit.gap": (
        "第 {seq} 条记录缺失：痕迹从此直接跳到第 {next} 条（有记录被删除）",
        "event {seq} is missing: the trail jumps to event {next} (an event was dropped)",
    ),
    "audit.unlinked": (
        "第 {seq} 条记录没有接上前一条",
        "event {seq} does not link to the event before it",
    ),
    "audit.altered": (
        "第 {seq} 条记录与其哈希不符：写入后有字段被改动",
        "event {seq} does not match its hash: a field was changed after it was written",
    ),
    "audit.head": (
        "链头指向第 {head} 条，但痕迹止于第 {last} 条（尾部被截去，或链头被改动）",
        "the chain's head names event {head}, but the trail ends at event {last} (its tail "
        "was cut off, or the head moved)",
    ),
    # what verify finds against the signed digests
    "audit.digest_truncated": (
        "痕迹止于第 {last} 条，但摘要 {file}（{at}）签署的是第 {seq} 条："
        "第 {last} 条之后的尾部被截去",
        "the trail ends at event {last}, but {file} signed event {seq} at {at}: the tail after "
        "event {last} was cut off",
    ),
    "audit.digest_dropped": (
        "摘要 {file}（{at}）签署之后，第 {since} 条与第 {seq} 条之间有 {n} 条记录被删除、"
        "整条链被重新链接：原第 {seq} 条现在是第 {now} 条",
        "{n} event(s) between events {since} and {seq} were dropped after {file} signed them "
        "at {at}, and the chain re-linked: event {seq} now stands at {now}",
    ),
    "audit.digest_inserted": (
        "摘要 {file}（{at}）签署之后，第 {since} 条与第 {seq} 条之间被插入 {n} 条记录、"
        "整条链被重新链接：原第 {seq} 条现在是第 {now} 条",
        "{n} event(s) were inserted between events {since} and {seq} after {file} signed them "
        "at {at}, and the chain re-linked: event {seq} now stands at {now}",
    ),
    "audit.digest_relinked": (
        "第 {seq} 条记录与摘要 {file}（{at}）签署时相同，但链接值不同："
        "第 {since} 条到第 {seq} 条之间有记录被改动，整条链被重新链接",
        "event {seq} is as {file} signed it at {at}, but its link is not: an event between "
        "events {since} and {seq} was changed and the chain re-linked",
    ),
    "audit.digest_rewritten": (
        "第 {seq} 条已不是摘要 {file}（{at}）签署的那条记录：此前的痕迹被改写，整条链被重新链接",
        "event {seq} is not the event {file} signed at {at}: the trail up to it was rewritten "
        "and the chain re-linked",
    ),
    # what verify finds in the cases
    "audit.case_unregistered": (
        "案件 {code} 没有登记记录：它不经痕迹被建立或改动",
        "case {code} has no register event: it was made or changed without its trail",
    ),
    "audit.case_differs": (
        "案件 {code} 与其痕迹不符（库中 ≠ 按痕迹重演）：{fields}",
        "case {code} differs from its trail (stored ≠ replayed): {fields}",
    ),
    "audit.event_refused": (
        "案件 {code}：第 {seq} 条记录（{action}）是流转表不允许的：{why}",
        "case {code}: event {seq} ({action}) is one the transition table refuses: {why}",
    ),
    "audit.event_misplaced": (
        "案件 {code}：第 {seq} 条记录（{action}）写的是 {said}，按痕迹重演却是 {replayed}",
        "case {code}: event {seq} ({action}) says {said}, but its trail gives {replayed}",
    ),
    "audit.case_deleted": (
        "编号为 #{id} 的案件有记录（自第 {seq} 条起）却不在库中：案件被删除",
        "events of case #{id} (from event {seq}) have no case: the case was deleted",
    ),
    "audit.cells_apart": (
        "统计格 {table} 与案件的重新汇总不符：{cells} 格，最早一格在 {day}（{community}）："
        "这些日子的统计数字有误；`gridcall init --recount` 可由案件重新汇总",
        "Figure cells of {table} that differ from a fresh sum of the cases: {cells}, the first "
        "on {day} in {community}; the figures of those days are wrong: `gridcall init --recount` "
        "sums them afresh",
    ),
    "audit.unreadable": ("记录内容无法读取", "its content cannot be read"),
    "audit.unknown_action": ("没有这种操作", "there is no such action"),
    "audit.registered_again": ("一件案件只登记一次", "a case is registered only once"),
    # the digests and their keys
    "error.key_without_digests": (
        "--public-key 用于核对摘要：请同时用 --digests 指定摘要目录",
        "--public-key checks signed digests: name their directory with --digests too",
    ),
    "error.digest_dir": ("没有摘要目录 {path}", "no digest directory {path}"),
    "error.digest_unwritable": (
        "无法在 {path} 中写入摘要：{detail}",
        "cannot write a digest in {path}: {detail}",
    ),
    "error.digest_exists": (
        "{path} 已存在：是否另一个 gridcall audit digest 同时在运行？本次未签署",
        "{path} exists already: did another gridcall audit digest run at the same time? "
        "Nothing was signed",
    ),
    "error.digest_unreadable": (
        "摘要 {file} 无法读取：不是 Gridcall 的摘要文件",
        "digest {file} cannot be read: it is no Gridcall digest",
    ),
    "error.digest_misnamed": (
        "摘要 {file} 自称第 {number} 份：文件被改名",
        "digest {file} says it is number {number}: the file was renamed",
    ),
    "error.digest_other_key": (
        "摘要 {file} 由密钥 {signer} 签署，而不是 {ours}：请用签署它的公钥核验",
        "digest {file} was signed by key {signer}, not {ours}: verify with the public key that "
        "signed it",
    ),
    "error.digest_forged": (
        "摘要 {file} 与其签名不符：签署后被改动过",
        "digest {file} does not match its signature: it was changed after it was signed",
    ),
    "error.digest_missing": (
        "缺少第 {number} 份摘要（{after} 之后）：这些摘要不可信",
        "digest {number} is missing (after {after}): the digests cannot be trusted",
    ),
    "error.digest_unchained": (
        "摘要 {file} 没有接上前一份 {before}：这些摘要不可信",
        "digest {file} does not name {before} as the one before it: the digests cannot be trusted",
    ),
    "error.digest_time": (
        "摘要 {file} 的签署时间早于 {before}：这些摘要不可信",
        "digest {file} was signed before {before}: the digests cannot be trusted",
    ),
    "error.audit_key_exists": (
        "{path} 已存在：密钥从不替换（它签署过的摘要将无法再核验）",
        "{path} exists already: a key is never replaced (the digests it signed would no "
        "longer verify)",
    ),
    "error.audit_key_missing": (
        "没有密钥文件 {path}：用 gridcall audit keygen 生成",
        "no key file {path}: make one with gridcall audit keygen",
    ),
    "error.audit_key_open": (
        "{path} 他人可读：请 chmod 600（签名私钥只属于它的所有者）",
        "{path} may be read by others: chmod 600 it (a signing key is its owner's alone)",
    ),
    "error.audit_key_unreadable": (
        "{path} 不是可读的 Ed25519 密钥文件（PEM 或 OpenSSH 格式）",
        "{path} is no readable Ed25519 key file (PEM or OpenSSH)",
    ),
    "error.audit_key_kind": ("{path} 不是 Ed25519 密钥", "{path} is not an Ed25519 key"),
    "error.report_unwritable": (
        "无法写入报告 {path}：{detail}",
        "cannot write the report {path}: {detail}",
    ),
    # the commands' words
    "cli.audit_stage.chain": ("核验哈希链", "checking the chain"),
    "cli.audit_stage.cases": ("按痕迹重演案件", "replaying the cases"),
    "cli.audit_stage.cells": ("核对统计格", "checking the figure cells"),
    "cli.audit_intact": (
        "审计痕迹完整：{events} 条记录链接无误，{cases} 件案件与其痕迹一致",
        "Audit trail intact: {events} events chained, {cases} cases agree with their events",
    ),
    "cli.audit_digests_ok": (
        "与 {n} 份签名摘要一致，最新一份签于 {at}（第 {seq} 条）",
        "It matches {n} signed digests, the last signed at {at} (event {seq})",
    ),
    "cli.audit_no_digests": (
        "未核对摘要（--digests DIR）：掌握数据库的人可以改写并重新链接整条链而不被发现",
        "No digests checked (--digests DIR): someone who holds the store could rewrite and "
        "re-link the whole chain unseen",
    ),
    "cli.audit_broken": ("审计痕迹已断开：{finding}", "Audit trail broken: {finding}"),
    "cli.audit_apart": (
        "与其痕迹不符的案件：{n} 件",
        "Cases that differ from their trail: {n}",
    ),
    "cli.audit_more": (
        "……另有 {n} 条（--report FILE 可列出全部）",
        "… and {n} more (--report FILE lists every one)",
    ),
    "cli.audit_report": ("报告已写入 {path}", "Report written to {path}"),
    "cli.audit_report_head": (
        "gridcall audit verify：{store}，{at}",
        "gridcall audit verify: {store}, {at}",
    ),
    "cli.audit_keygen": (
        "签名私钥：{path}（只留在签署摘要的账户下，权限 0600）\n"
        "公钥：{public}，指纹 {fingerprint}（交给核验的人）",
        "Signing key: {path} (keep it with the account that signs digests, mode 0600)\n"
        "Public key: {public}, fingerprint {fingerprint} (give it to whoever verifies)",
    ),
    "cli.audit_digest": (
        "第 {number} 份摘要已签署：第 {seq} 条记录，链接值 {hash} → {path}",
        "Digest {number} signed: event {seq}, link {hash} → {path}",
    ),
    "cli.audit_digest_refused": ("未签署：{why}", "Nothing signed: {why}"),
}
