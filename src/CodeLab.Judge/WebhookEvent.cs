using System.Text.Json;

namespace CodeLab.Judge;

/// <summary>
/// One event a webhook sender delivers: <c>{ "id", "type", "account", "sequence", "data" }</c>. <see cref="Body"/>
/// is the exact text that is sent and signed; a redelivery sends the same text again.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, string Account, long Sequence, long Amount)
{
    public string Body => JsonSerializer.Serialize(new { id = Id, type = Type, account = Account, sequence = Sequence, data = new { amount = Amount, currency = "EUR" } });

    /// <summary>POST /webhooks with this event, signed now with the shared secret, as every hidden test and load scenario sends it.</summary>
    public HttpRequestMessage Request() => WebhookSender.SignedRequest(Body);
}
