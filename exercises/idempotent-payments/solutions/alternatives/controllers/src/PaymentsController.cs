using Microsoft.AspNetCore.Mvc;

/// <summary>POST /payments: validate, look up, claim, charge, store; the same protocol as the reference.</summary>
[ApiController]
[Route("payments")]
public sealed class PaymentsController(IdempotencyStore store, ProviderClient provider) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        // Read as the raw header: several values arrive joined, as the other solutions see them.
        var key = Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 100)
            return BadRequest(new { error = "an Idempotency-Key header of 1 to 100 characters is required" });
        var payment = await PaymentBody.ReadAsync(Request.Body, cancellationToken);
        if (payment is null)
            return BadRequest(new { error = "the body must be { \"amount\": <positive whole number>, \"currency\": \"<3 upper-case letters>\" }" });

        if (await store.FindAsync(key) is { } stored) return Replay(stored, payment);

        var claim = await store.TryClaimAsync(key, payment.Fingerprint);
        if (claim is null)
        {
            if (await store.FindAsync(key) is { } finished) return Replay(finished, payment);
            var owner = await store.ClaimFingerprintAsync(key);
            return owner is not null && owner != payment.Fingerprint
                ? Mismatch()
                : Conflict(new { error = "a request with this Idempotency-Key is being processed; retry shortly" });
        }

        try
        {
            // The answer may have been stored between the look-up and the claim.
            if (await store.FindAsync(key) is { } late) return Replay(late, payment);

            // Not the request's token: a client that gives up must not leave a charge without its answer.
            var chargeId = await provider.ChargeAsync(payment, key, CancellationToken.None);
            if (chargeId is null)
                return StatusCode(StatusCodes.Status502BadGateway, new { error = "the payment provider failed; retry with the same Idempotency-Key" });

            var answer = new StoredAnswer(payment.Fingerprint, StatusCodes.Status201Created, payment.Answer("pay_" + Guid.NewGuid().ToString("N"), chargeId));
            await store.SaveAsync(key, answer);
            return Stored(answer);
        }
        finally
        {
            await store.ReleaseAsync(key, claim);
        }
    }

    IActionResult Replay(StoredAnswer stored, PaymentBody payment) => stored.Fingerprint == payment.Fingerprint ? Stored(stored) : Mismatch();

    ContentResult Stored(StoredAnswer answer) => new() { Content = answer.Body, ContentType = "application/json", StatusCode = answer.Status };

    ObjectResult Mismatch() =>
        UnprocessableEntity(new { error = "this Idempotency-Key was used with a different request" });
}
