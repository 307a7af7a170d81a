using System.Net.Http.Json;
using System.Text.Json;

/// <summary>What one call to the ledger came to.</summary>
public enum LedgerOutcome { Recorded, Refused, Failed }

/// <summary>POST {LEDGER_URL}/entries: one call, one entry. The ledger does not deduplicate.</summary>
public sealed class LedgerClient(Uri baseAddress)
{
    readonly HttpClient http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public async Task<(LedgerOutcome Outcome, string Detail)> RecordAsync(IncomingEvent e, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("/entries",
                new { eventId = e.Id, account = e.Account, sequence = e.Sequence, type = e.Type, data = e.Data.ValueKind == JsonValueKind.Undefined ? (JsonElement?)null : e.Data },
                cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode) return (LedgerOutcome.Recorded, $"HTTP {status}");
            // 408 and 429 say "later", every other 4xx says "never".
            if (status is >= 400 and < 500 and not 408 and not 429) return (LedgerOutcome.Refused, $"the ledger refused the entry: HTTP {status}");
            return (LedgerOutcome.Failed, $"HTTP {status}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (LedgerOutcome.Failed, ex.GetType().Name + ": " + ex.Message);
        }
    }
}
