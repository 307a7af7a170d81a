/// <summary>What a product id may be: 1 to 100 letters, digits or '-' (so it is safe inside a Redis key).</summary>
static class ProductId
{
    public static bool IsValid(string id) => id.Length is > 0 and <= 100 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
