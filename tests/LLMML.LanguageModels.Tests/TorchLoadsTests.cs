using LLMML.LanguageModels.Devices;
using TorchSharp;

namespace LLMML.LanguageModels.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        TorchRuntime.Describe().LibTorchVersion.Should().StartWith("2.10");
        using var a = torch.ones(2, 3);
        a.sum().item<float>().Should().Be(6f);
    }
}
