namespace CodeLab.Judge;

/// <summary>
/// Per-account order, judged from the ledger's own records: for each account, the events the judge sent, in
/// sequence order; the first call for an event may reach the ledger only after the previous event's entry was
/// answered 201 (or, when the previous one never got an entry, after its last attempt: it was given up on). The ledger stamps both on one monotonic clock, and a service calls for the next event only after it
/// read the previous 201, so a correct service can never be caught out by timing. Used by the hidden tests and the
/// load scenario alike.
/// </summary>
public static class LedgerOrder
{
    /// <summary>One line per violation (account, which sequence came too early, by how much).</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<WebhookEvent> sent, IReadOnlyList<LedgerCall> calls, IReadOnlyList<LedgerEntry> entries)
    {
        var booked = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in entries)
            if (!booked.TryGetValue(entry.EventId, out var at) || entry.AnsweredMs < at) booked[entry.EventId] = entry.AnsweredMs;
        var reached = new Dictionary<string, double>(StringComparer.Ordinal);
        var lastTried = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            if (call.EventId is not { } id) continue;
            if (!reached.TryGetValue(id, out var first) || call.ArrivedMs < first) reached[id] = call.ArrivedMs;
            if (!lastTried.TryGetValue(id, out var last) || call.ArrivedMs > last) lastTried[id] = call.ArrivedMs;
        }

        var violations = new List<string>();
        foreach (var account in sent.DistinctBy(e => e.Id).GroupBy(e => e.Account, StringComparer.Ordinal))
        {
            var ordered = account.OrderBy(e => e.Sequence).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (previous, next) = (ordered[i - 1], ordered[i]);
                if (!reached.TryGetValue(next.Id, out var arrived)) continue;
                if (!booked.TryGetValue(previous.Id, out var answered))
                {
                    // Given up on (dead-lettered) after its last attempt: the next may follow that attempt.
                    if (!lastTried.TryGetValue(previous.Id, out var tried) || arrived < tried)
                        violations.Add($"{account.Key}: sequence {next.Sequence} reached the ledger before sequence {previous.Sequence} was booked or given up");
                }
                else if (arrived < answered)
                    violations.Add($"{account.Key}: sequence {next.Sequence} reached the ledger {answered - arrived:0} ms before sequence {previous.Sequence} was booked");
            }
        }
        return violations;
    }
}
