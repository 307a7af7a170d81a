namespace CodeLab.Judge;

/// <summary>
/// One call the ledger received, whatever it answered: the event it was for (as the service sent it), the status the
/// ledger answered and when it arrived (milliseconds since the ledger's last reset, from a monotonic clock).
/// </summary>
public sealed record LedgerCall(string? EventId, string? Account, long? Sequence, int Status, double ArrivedMs);
