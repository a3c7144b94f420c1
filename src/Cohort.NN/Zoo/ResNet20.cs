using Cohort.NN.Autograd;
using Cohort.NN.Modules;
using Cohort.NN.Ops;
using Cohort.Tensors;

namespace Cohort.NN.Zoo;

/// <summary>
/// ResNet-20 for 32x32 images (He et al. 2016, CIFAR variant) with GroupNorm(2) in place of batch
/// norm, which federated training favours: conv1 → gn1 → ReLU → layer1..3 (3 basic blocks each,
/// 16/32/64 channels, stride 2 entering layers 2 and 3) → global (8x8) average pool → fc.
/// </summary>
internal sealed class ResNet20 : Module
{
    public static ZooEntry Zoo { get; } = new("resnet20", "ResNet-20 (He et al. 2016) with group normalization, for 32×32 images", (b, o) => new ResNet20(b, o));

    private const int Groups = 2;
    private readonly Conv2d _conv1;
    private readonly GroupNorm _gn1;
    private readonly BasicBlock[] _blocks;
    private readonly Linear _fc;

    public ResNet20(ParameterBuilder b, ModelOptions o)
    {
        if (o.Height != o.Width || o.Height < 8)
        {
            throw new ArgumentException($"resnet20 needs square inputs of at least 8x8 (32x32 for CIFAR); the options give {o.Height}x{o.Width}.");
        }
        _conv1 = new Conv2d(b, "conv1", o.Channels, 16, 3, 1, 1, bias: false);
        _gn1 = new GroupNorm(b, "gn1", Groups, 16);
        _blocks = new BasicBlock[9];
        int inChannels = 16;
        for (int layer = 0; layer < 3; layer++)
        {
            int channels = 16 << layer;
            for (int block = 0; block < 3; block++)
            {
                int stride = layer > 0 && block == 0 ? 2 : 1;
                _blocks[layer * 3 + block] = new BasicBlock(b, $"layer{layer + 1}.{block}", inChannels, channels, stride, Groups);
                inChannels = channels;
            }
        }
        _fc = new Linear(b, "fc", 64, o.Classes);
    }

    public override Tensor Forward(Tape tape, Tensor x)
    {
        var h = tape.Relu(_gn1.Forward(tape, _conv1.Forward(tape, x)));
        foreach (var block in _blocks)
        {
            h = block.Forward(tape, h);
        }
        // Global average pooling: 8x8 for 32x32 inputs (7x7 for 28x28 ones).
        h = tape.AvgPool2d(h, h.Shape[2]);
        return _fc.Forward(tape, tape.Flatten(h));
    }
}
