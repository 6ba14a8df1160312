using LLMML.LanguageModels.Modeling;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Modeling;

public class ModuleModeTests
{
    [Fact]
    public void TheScopeSetsTheModeAndRestoresTheOneTheModuleHad()
    {
        using var module = nn.Linear(2, 2);
        module.train();
        using (ModuleMode.Evaluation(module)) module.training.Should().BeFalse();
        module.training.Should().BeTrue();

        module.eval();
        using (ModuleMode.Training(module)) module.training.Should().BeTrue();
        module.training.Should().BeFalse();
        using (ModuleMode.Evaluation(module)) module.training.Should().BeFalse();
        module.training.Should().BeFalse();
    }

    [Fact]
    public void TheModeIsRestoredWhenTheWorkThrows()
    {
        using var module = nn.Linear(2, 2);
        module.train();
        var act = () =>
        {
            using var mode = ModuleMode.Evaluation(module);
            throw new InvalidOperationException("work failed");
        };
        act.Should().Throw<InvalidOperationException>();
        module.training.Should().BeTrue();
    }
}
