using LLMML.LanguageModels.Devices;
using TorchSharp;

namespace LLMML.LanguageModels.Tests.Devices;

public class DeviceSelectorTests
{
    [Fact]
    public void NoGpuIdMeansCpu()
    {
        DeviceSelector.Select(null, fallbackToCpu: false).type.Should().Be(DeviceType.CPU);
        DeviceSelector.ResolveCudaOrdinal(null, fallbackToCpu: false, cudaAvailable: true, cudaDeviceCount: 2).Should().BeNull();
    }

    [Fact]
    public void GpuRequestedWithFallbackOnACpuOnlyMachineGivesCpu()
    {
        DeviceSelector.ResolveCudaOrdinal(0, fallbackToCpu: true, cudaAvailable: false, cudaDeviceCount: 0).Should().BeNull();
        if (!torch.cuda.is_available())
            DeviceSelector.Select(0, fallbackToCpu: true).type.Should().Be(DeviceType.CPU);
    }

    [Fact]
    public void GpuRequestedWithoutFallbackOnACpuOnlyMachineFailsSayingWhy()
    {
        FluentActions.Invoking(() => DeviceSelector.ResolveCudaOrdinal(0, fallbackToCpu: false, cudaAvailable: false, cudaDeviceCount: 0))
            .Should().Throw<InvalidOperationException>().WithMessage("*GPU device 0*CUDA is not available*TorchSharp-cuda-linux*-p:LLMMLTorchBackend=cuda*FallbackToCpu*", "package users and repository builders each get their instruction");
        if (!torch.cuda.is_available())
            FluentActions.Invoking(() => DeviceSelector.Select(0, fallbackToCpu: false)).Should().Throw<InvalidOperationException>()
                .WithMessage("*CUDA is not available*");
    }

    [Fact]
    public void AnExistingCudaDeviceIsChosenAndAMissingOneIsNot()
    {
        DeviceSelector.ResolveCudaOrdinal(1, fallbackToCpu: false, cudaAvailable: true, cudaDeviceCount: 2).Should().Be(1);
        DeviceSelector.ResolveCudaOrdinal(2, fallbackToCpu: true, cudaAvailable: true, cudaDeviceCount: 2).Should().BeNull();
        FluentActions.Invoking(() => DeviceSelector.ResolveCudaOrdinal(2, fallbackToCpu: false, cudaAvailable: true, cudaDeviceCount: 2))
            .Should().Throw<InvalidOperationException>().WithMessage("*CUDA device 2 does not exist*2 CUDA devices*");
        FluentActions.Invoking(() => DeviceSelector.Select(-1, fallbackToCpu: true)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
