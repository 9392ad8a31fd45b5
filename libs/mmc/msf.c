#include "msf.h"

int32_t cd_msf_to_lba(struct cd_msf msf)
{
    int32_t frames = cd_msf_frames(msf);
    if (msf.m >= 90)
        return frames - CD_LEADIN_MSF_BASE;
    return frames - CD_MSF_OFFSET;
}

struct cd_msf cd_frames_to_msf(int32_t frames)
{
    struct cd_msf msf;
    if (frames < 0)
        frames = 0;
    msf.m = (uint8_t)(frames / (60 * CD_FRAMES_PER_SECOND));
    msf.s = (uint8_t)((frames / CD_FRAMES_PER_SECOND) % 60);
    msf.f = (uint8_t)(frames % CD_FRAMES_PER_SECOND);
    return msf;
}

struct cd_msf cd_lba_to_msf(int32_t lba)
{
    /* Lead-in LBAs (-150 > lba) wrap to 90:00:00 and above, as drives report them. */
    if (lba < -CD_MSF_OFFSET)
        return cd_frames_to_msf(lba + CD_LEADIN_MSF_BASE);
    return cd_frames_to_msf(lba + CD_MSF_OFFSET);
}
