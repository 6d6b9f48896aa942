from django import forms
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView


class CheckedImageForm(ImageForm):
    # markdownx trusts the browser's content type; ImageField makes Pillow
    # open the file, so only real images are stored.
    image = forms.ImageField()


class CheckedImageUploadView(ImageUploadView):
    form_class = CheckedImageForm
