using TorchSharp;

namespace LLMML.LanguageModels.Devices;

/// <summary>What the loaded TorchSharp/libtorch runtime is, for diagnostics (`llmml info`).</summary>
public sealed record TorchRuntime(string TorchSharpVersion, string LibTorchVersion, bool CudaAvailable, int CudaDevices, int Threads)
{
    public static TorchRuntime Describe()
    {
        var torchSharp = typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
        return new TorchRuntime(
            torchSharp,
            torch.__version__,
            torch.cuda.is_available(),
            torch.cuda.is_available() ? torch.cuda.device_count() : 0,
            torch.get_num_threads());
    }
}
