namespace CodeLab.Judge;

/// <summary>
/// The trusted fakes of a grade, started on first use inside the judge container and kept for the whole run.
/// The candidate's service reaches them through the judge's network aliases (for example http://provider:9090).
/// </summary>
public static class World
{
    static readonly SharedFake<PaymentProviderFake> provider = new(PaymentProviderFake.StartAsync);

    public static Task<PaymentProviderFake> PaymentProviderAsync() => provider.GetAsync();
}
