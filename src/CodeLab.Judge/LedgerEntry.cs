namespace CodeLab.Judge;

/// <summary>
/// One entry the ledger accepted (answered 2xx): an effect. <see cref="EntryId"/> is the ledger's own number,
/// <see cref="EventId"/>, <see cref="Account"/> and <see cref="Sequence"/> are what the service sent.
/// </summary>
public sealed record LedgerEntry(string EntryId, string EventId, string Account, long Sequence, double ArrivedMs);
