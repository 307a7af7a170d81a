namespace CodeLab.Judge;

/// <summary>
/// One request the origin received for a product (<c>GET</c> is a load, <c>PUT</c> a write), as the origin itself
/// recorded it: which product, when it arrived (time since the origin started) and, once answered, the status it gave.
/// </summary>
public sealed record OriginLoad(string Id, TimeSpan ArrivedAt, int Status);
