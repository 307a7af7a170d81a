/// <summary>A status and a JSON body, as the origin answered (or a 502 made here).</summary>
public sealed record Entry(int Status, string Body);
