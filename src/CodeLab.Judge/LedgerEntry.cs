namespace CodeLab.Judge;

/// <summary>
/// One entry the ledger accepted (answered 2xx): an effect. <see cref="EntryId"/> is the ledger's own number,
/// <see cref="EventId"/>, <see cref="Account"/> and <see cref="Sequence"/> are what the service sent.
/// <see cref="ArrivedMs"/> is when its call arrived, <see cref="AnsweredMs"/> when the ledger recorded it and answered
/// 201 (both milliseconds since the ledger's last reset, one monotonic clock): a call the service makes after it read
/// that 201 arrives later than <see cref="AnsweredMs"/>, so per-account order can be judged from these alone.
/// </summary>
public sealed record LedgerEntry(string EntryId, string EventId, string Account, long Sequence, double ArrivedMs, double AnsweredMs);
