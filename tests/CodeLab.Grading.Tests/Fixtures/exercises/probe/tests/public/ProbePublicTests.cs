using Probing;
using Shouldly;
using Xunit;

namespace Probing.Tests;

[Trait("level", "junior")]
public sealed class ProbePublicTests
{
    [Fact(DisplayName = "The marker exists")]
    [Trait("criterion", "contained")]
    public void Marker_exists() => new Marker().ShouldNotBeNull();
}
