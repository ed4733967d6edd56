"""Reference-to-video through diffusers' ``WanVACEPipeline`` (Wan2.1-VACE 1.3B and 14B), run as our subclass
(``stdt2v.animate.wan_pipelines``: the denoising loop we own).

VACE does not start from a first frame: reference images go into its context, each as one
latent frame in front of the video, and the video is generated around them. Here the
references are the identity keyframe (a prompt-consistent reference image), the aligned
reference face, both, or the raw reference image whole (``image``: the challenge winner's
submission, TPIGE); diffusers fits each into the video frame, aspect kept, centred on a white
canvas. The video is ``animate.height`` × ``width`` (VACE renders on a fixed canvas; it has no
keyframe-driven size), with ``num_frames`` frames (the reference frames are dropped).
"""

from __future__ import annotations

from PIL import Image

from stdt2v.animate.base import SizeChoice
from stdt2v.animate.wan import WanAnimator
from stdt2v.config.schema import VaceReference
from stdt2v.errors import StdT2VError


class WanVACEAnimator(WanAnimator):
    name = "wan_vace"

    def __init__(self, pipe, *, reference: VaceReference = VaceReference.keyframe, conditioning_scale: float = 1.0, face_size: int = 512, **kwargs):
        super().__init__(pipe, **kwargs)
        self.reference = reference = VaceReference(reference)  # keyframe | face | both | image
        self.conditioning_scale = conditioning_scale
        self.face_size = face_size
        self.needs_face = reference in (VaceReference.face, VaceReference.both)
        self.needs_reference_image = reference == VaceReference.image

    def size_choice(self, keyframe: tuple[int, int] | None = None) -> SizeChoice:
        # reference=image: the keyframe is not used, so it does not steer the size either.
        return super().size_choice(None if self.needs_reference_image else keyframe)

    def conditioning(self, image: Image.Image, face: Image.Image | None, choice: SizeChoice, reference_image: Image.Image | None = None) -> dict:
        references = []
        if self.reference in (VaceReference.keyframe, VaceReference.both):
            references.append(image)
        if self.needs_face:
            if face is None:
                raise StdT2VError(f"animate.vace.reference={self.reference.value}: the aligned reference face was not given to the animator")
            references.append(face)
        if self.needs_reference_image:
            if reference_image is None:
                raise StdT2VError("animate.vace.reference=image: the reference image was not given to the animator")
            references.append(reference_image)
        return {"reference_images": references, "conditioning_scale": self.conditioning_scale}

    def add_objects(self, conditioning: dict, objects: list) -> dict:
        """Object references (Track 2) after the person's, each one more reference frame."""
        return {**conditioning, "reference_images": list(conditioning["reference_images"]) + [o.convert("RGB") for o in objects]}
