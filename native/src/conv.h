// 2-D convolution forward, input gradient and filter gradient on NHWC data with HWIO filters (TF.js
// layouts), executed by oneDNN convolution primitives (oneDNN Developer Guide, "Convolution").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace un {

/**
 * Convolution geometry, 17 integers: N, H, W, C, KH, KW, O, OH, OW, strideH, strideW, dilationH, dilationW,
 * padTop, padBottom, padLeft, padRight (dilation 1 = none, as in TF.js).
 */
struct ConvDims {
  int64_t n, h, w, c, kh, kw, o, oh, ow, sh, sw, dh, dw, pt, pb, pl, pr;
  static ConvDims from(const std::vector<int64_t>& d);
};

/** How activations are laid out for the primitives: 0 = NHWC in place, 1 = oneDNN's choice with reorders. */
void setConvLayoutMode(int mode);
int convLayoutMode();

/**
 * Convolution precision: 0 = f32; 1 = bf16 inputs with f32 outputs and accumulation (shapes without a bf16
 * primitive stay f32). Returns the implementation a probe shape gets; throws std::invalid_argument when the
 * CPU has no bf16 convolution. Cache keys include the mode.
 */
std::string setConvPrecisionMode(int mode);
int convPrecisionMode();

void conv2dForward(const ConvDims& d, const float* x, const float* w, float* y);
void conv2dBackwardData(const ConvDims& d, const float* dy, const float* w, float* dx);
void conv2dBackwardWeights(const ConvDims& d, const float* x, const float* dy, float* dw);

/** Drops all cached primitives and buffers of the calling thread. */
void clearConvCache();

}  // namespace un
